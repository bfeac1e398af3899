// A bare SMTP server for the newsletter bench, run as its own process so it does not share a CPU
// queue with the sender. It accepts every message, remembers each Message-ID and how often it
// came, and answers GET /stats and GET /ids on a small HTTP port. A message counts as delivered
// only once its final "." arrived: a connection cut mid-message (kill -9) counts for nothing.
//
// It speaks just enough SMTP (RFC 5321) over `net` for a client that pipelines: a greeting, EHLO
// or HELO, MAIL, RCPT, DATA with a dot-terminated body, RSET, NOOP and QUIT. It was the
// `smtp-server` package, which parses and un-stuffs every byte of every message: about 180 µs of
// CPU a message, 18 s for the bench's 100,000, taken from the same two cores as the sender. A
// mail server in production (Postfix, a provider's relay) runs elsewhere or in C; the sink should
// cost the host as little as it can (sink-protocol.ts reads the stream; its test checks it).
import http from 'node:http';
import net from 'node:net';
import { createSmtpSession } from './lib/sink-protocol.ts';

const smtpPort = Number(process.env.SINK_SMTP_PORT);
const httpPort = Number(process.env.SINK_HTTP_PORT);
let received = 0;
let counts = new Map<string, number>();

const smtp = net.createServer((socket) => {
  socket.setNoDelay(true);
  // Replies to pipelined commands go out together, one write for each chunk read.
  let replies = '';
  const session = createSmtpSession({
    reply: (text) => (replies += text),
    message(id) {
      received++;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    },
    quit: () => {
      socket.end(replies);
      replies = '';
    },
  });
  const flush = () => {
    if (replies && socket.writable) socket.write(replies);
    replies = '';
  };
  flush();
  socket.on('data', (chunk: Buffer) => {
    session.receive(chunk);
    flush();
  });
  socket.on('error', () => {});
});
smtp.on('error', () => {});

const web = http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify({ received, unique: counts.size }));
  }
  if (req.url === '/ids') {
    // Each id with its count, one a line: "<id> 2".
    res.setHeader('content-type', 'text/plain');
    return res.end([...counts].map(([id, n]) => `${id} ${n}`).join('\n'));
  }
  if (req.url === '/reset' && req.method === 'POST') {
    received = 0;
    counts = new Map();
    return res.end('ok');
  }
  res.statusCode = 404;
  res.end();
});

smtp.listen(smtpPort, '127.0.0.1', () => {
  web.listen(httpPort, '127.0.0.1', () => console.log(`sink ready smtp=${smtpPort} http=${httpPort}`));
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
