// Helpers for the newsletter tests: a real SMTP server in this process and small journeys.
import { afterAll } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { eq } from 'drizzle-orm';
import type { TestApp } from '../../../tests/helpers/app.ts';
import { Browser } from '../../../tests/helpers/app.ts';
import { mailMessages } from '../mail/tables.ts';
import { newsletterTopics } from './tables.ts';

export type Delivered = { to: string[]; raw: string; messageId: string; at: number };

export type SinkOptions = {
  // Wait this long before accepting each message (to watch a send in progress).
  delayMs?: number;
  // Answer "try again later" (451) to the first N messages.
  tempFailFirst?: number;
  // Refuse these recipients outright (550).
  reject?: string[];
};

export async function startSmtpSink(opts: SinkOptions = {}) {
  const delivered: Delivered[] = [];
  let tempFailures = opts.tempFailFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
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
          delivered.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, messageId, at: Date.now() });
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

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function addTopics<const N extends readonly string[]>(app: TestApp['app'], names: N): Promise<{ [K in keyof N]: number }> {
  const rows = await app.database.db
    .insert(newsletterTopics)
    .values(names.map((name) => ({ name })))
    .returning({ id: newsletterTopics.id });
  return rows.map((r) => r.id) as { [K in keyof N]: number };
}

// The link in the newest queued email to this address (the mail layer keeps what it renders).
export async function linkInLatestEmail(app: TestApp['app'], to: string, pattern: RegExp): Promise<string> {
  const rows = await app.database.db.select().from(mailMessages).where(eq(mailMessages.toAddress, to));
  const latest = rows.sort((a, b) => b.id - a.id)[0];
  const m = latest ? pattern.exec(latest.textBody) : null;
  if (!m) throw new Error(`no link matching ${pattern} in email to ${to}`);
  return m[0];
}

export const confirmLinkPattern = /http:\/\/localhost:3000\/newsletter\/confirm\/[A-Za-z0-9_-]+/;

// Sign up with the form, then press Confirm on the page the emailed link opens.
export async function subscribe(app: TestApp['app'], email: string, topicIds: number[]): Promise<{ preferencesPath: string }> {
  const browser = new Browser(app);
  const res = await browser.submit('/newsletter', '/newsletter', { email, topics: topicIds.map(String) });
  if (res.statusCode !== 303) throw new Error(`sign-up failed: ${res.statusCode}`);
  const link = await linkInLatestEmail(app, email, confirmLinkPattern);
  const path = new URL(link).pathname;
  const confirmed = await browser.submit(path, path, {});
  if (confirmed.statusCode !== 303) throw new Error(`confirm failed: ${confirmed.statusCode}`);
  return { preferencesPath: String(confirmed.headers.location).replace(/\?.*$/, '') };
}
