// A bare SMTP server for the newsletter bench, run as its own process so it does not share a CPU
// queue with the sender. It accepts every message, remembers each Message-ID and how often it
// came, and answers GET /stats and GET /ids on a small HTTP port. A message counts as delivered
// only once its final "." arrived: a connection cut mid-message (kill -9) counts for nothing.
import http from 'node:http';
import { SMTPServer } from 'smtp-server';

const smtpPort = Number(process.env.SINK_SMTP_PORT);
const httpPort = Number(process.env.SINK_HTTP_PORT);
let received = 0;
let counts = new Map<string, number>();

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    let head = '';
    let id = '';
    stream.on('data', (chunk: Buffer) => {
      if (id || head.length > 16_384) return;
      head += chunk.toString('latin1');
      id = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? '';
    });
    stream.on('end', () => {
      received++;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      callback();
    });
  },
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
