// Helpers for the newsletter tests: a real SMTP server in this process and small journeys.
import { eq } from 'drizzle-orm';
import type { TestApp } from '#tests/helpers/app.ts';
import { Browser } from '#tests/helpers/app.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { newsletterTopics } from './tables.ts';

export { startSmtpSink, waitFor, type Delivered, type Sink, type SinkOptions } from '#tests/helpers/smtp.ts';

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
