import { randomUUID } from 'node:crypto';
import { createI18n } from '#src/lib/i18n.ts';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, createStaff } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor, linkEmailedTo } from '#tests/helpers/contributors.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { createPasswordGuesses, GUESS_LIMIT, memoryGuessStore, redisGuessStore, TOO_MANY_GUESSES } from './password-guesses.ts';

// Issue 17, finding 4: 50 wrong passwords for one staff account, each from its own address, were
// all checked. Now the account's password sign-in pauses after 10 wrong ones in 15 minutes, and its
// owner is told by email; the pause ends by itself and emailed sign-in links keep working.
const sink = await startSmtpSink();
const { app, db } = await buildTestApp({ trustProxy: true, smtpUrl: sink.url });
let address = 0;
const from = () => ({ 'x-forwarded-for': `10.41.${Math.floor(address / 250)}.${(address++ % 250) + 1}` });

describe('wrong passwords for one account', () => {
  it('pause its password sign-in after the limit, from any number of addresses, and email its owner once', async () => {
    const staff = await createStaff(app, 'admin');
    for (let i = 0; i < GUESS_LIMIT; i++) {
      const res = await new Browser(app).submit('/sign-in', '/sign-in', { email: staff.email, password: `wrong ${i}` }, from());
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Enter a correct email address and password');
    }
    // Even the right password is not checked now.
    const right = await new Browser(app).submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password }, from());
    expect(right.statusCode).toBe(429);
    expect(right.body).toContain(createI18n().translator('en').message(TOO_MANY_GUESSES));
    expect(right.body).toContain('nhsuk-error-summary');
    const emails = await db.select().from(mailMessages).where(eq(mailMessages.kind, 'password-guesses'));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.toAddress).toBe(staff.email);
  });

  it('leave sign-in by emailed link working for a contributor', async () => {
    const contributor = await joinedContributor(app, sink, 'Pat Guessed');
    for (let i = 0; i <= GUESS_LIMIT; i++) {
      await new Browser(app).submit('/sign-in/password', '/sign-in/password', { email: contributor.email, password: `wrong ${i}` }, from());
    }
    const limited = await new Browser(app).submit(
      '/sign-in/password',
      '/sign-in/password',
      { email: contributor.email, password: 'x' },
      from(),
    );
    expect(limited.statusCode).toBe(429);
    const browser = new Browser(app);
    const asked = await browser.submit('/sign-in/email', '/sign-in/email', { email: contributor.email }, from());
    expect(asked.statusCode).toBe(303);
    // The owner was also told about the wrong passwords: that email and the link arrive in either order.
    const { path } = await linkEmailedTo(sink, contributor.email, 1).catch(() => linkEmailedTo(sink, contributor.email, 2));
    const done = await browser.submit(path, '/sign-in/continue', {});
    expect(done.headers.location).toBe('/profile');
  });

  it('end by themselves when the window ends (time-based, never permanent)', async () => {
    let now = 1_000_000;
    const guesses = createPasswordGuesses(
      memoryGuessStore(() => now),
      3,
      60_000,
    );
    for (let i = 0; i < 3; i++) await guesses.failed('a@example.org');
    expect(await guesses.isLimited('A@example.org')).toBe(true);
    now += 60_000;
    expect(await guesses.isLimited('a@example.org')).toBe(false);
  });

  it('are counted across instances through Redis when REDIS_URL is set', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const one = createPasswordGuesses(redisGuessStore(url), 3, 60_000);
    const two = createPasswordGuesses(redisGuessStore(url), 3, 60_000);
    const email = `${randomUUID()}@example.org`;
    try {
      expect(await one.failed(email)).toBe(false);
      expect(await two.failed(email)).toBe(false);
      expect(await one.failed(email)).toBe(true);
      expect(await two.isLimited(email)).toBe(true);
      await two.succeeded(email);
      expect(await one.isLimited(email)).toBe(false);
    } finally {
      await one.store.close();
      await two.store.close();
    }
  });
});
