// A real SMTP server in this process: tests read what was actually delivered over the wire.
import { afterAll } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { wakeWorkers } from './jobs.ts';

// from and to are the SMTP envelope's (MAIL FROM and RCPT TO), not the message headers.
// connection: the SMTP session it came over.
export type Delivered = { from: string; to: string[]; raw: string; messageId: string; at: number; connection: string };

export type SinkOptions = {
  // Wait this long before accepting each message (to watch a send in progress).
  delayMs?: number;
  // Answer "try again later" (451) to the first N messages.
  tempFailFirst?: number;
  // Refuse these recipients outright (550).
  reject?: string[];
  // End a connection idle for this long (smtp-server's socketTimeout).
  idleTimeoutMs?: number;
};

export async function startSmtpSink(opts: SinkOptions = {}) {
  const delivered: Delivered[] = [];
  let tempFailures = opts.tempFailFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...(opts.idleTimeoutMs ? { socketTimeout: opts.idleTimeoutMs } : {}),
    onRcptTo(address, _session, callback) {
      if (opts.reject?.includes(address.address)) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const finish = () => {
          if (tempFailures > 0) {
            tempFailures--;
            return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';
          delivered.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId,
            at: Date.now(),
            connection: session.id,
          });
          callback();
        };
        if (opts.delayMs) setTimeout(finish, opts.delayMs);
        else finish();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `smtp://127.0.0.1:${port}`,
    delivered,
    to: (address: string) => delivered.filter((m) => m.to.includes(address)),
    parse: (m: Delivered): Promise<ParsedMail> => simpleParser(m.raw),
  };
}
export type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    // What is awaited is most likely a queue job's work: have the workers look (every 100 ms,
    // so their fetches do not crowd out the work itself).
    if (i % 4 === 0) wakeWorkers();
    await new Promise((r) => setTimeout(r, 25));
  }
}
