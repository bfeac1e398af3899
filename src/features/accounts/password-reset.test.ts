import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, createStaff } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { user, verification } from '#src/platform/identity/tables.ts';
import { RESET_REQUESTS_PER_HOUR } from './password-reset-limit.ts';

const NEW_PASSWORD = 'lantern river paper 77';

describe('forgotten passwords', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url, trustProxy: true });
  let address = 0;
  const from = () => ({ 'x-forwarded-for': `203.0.113.${++address}` });

  const ask = (email: string) => new Browser(app).submit('/forgotten-password', '/forgotten-password', { email }, from());
  const resetEmails = (email: string) =>
    db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.toAddress, email), eq(mailMessages.kind, 'password-reset')));
  const linkTo = async (email: string) => {
    const message = await waitFor(async () => {
      for (const m of sink.to(email)) {
        const parsed = await sink.parse(m);
        if (/new password/i.test(parsed.subject ?? '')) return parsed;
      }
      return undefined;
    });
    const url = /https?:\/\/[^\s"<>]+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(message.text ?? '')![0];
    return new URL(url).pathname + new URL(url).search;
  };
  const choose = (browser: Browser, path: string, password = NEW_PASSWORD, confirmPassword = password) =>
    browser.submit(path, '/reset-password', { password, confirmPassword }, from());

  it('answers the same whether or not the address has an account or a password, and emails only an account with one', async () => {
    const staff = await createStaff(app);
    const { email: noPassword } = await joinedContributor(app, sink);
    const unknown = `nobody-${Math.random().toString(36).slice(2)}@example.org`;
    const answers = await Promise.all([ask(staff.email), ask(noPassword), ask(unknown)]);
    for (const res of answers) {
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/forgotten-password/check-email');
    }
    const page = await new Browser(app).get('/forgotten-password/check-email');
    expect(page.body).toContain('If there is an account with a password for that email address');
    expect(await resetEmails(staff.email)).toHaveLength(1);
    expect(await resetEmails(noPassword)).toHaveLength(0);
    expect(await resetEmails(unknown)).toHaveLength(0);
  });

  it('sends nothing to a deactivated staff account, with the same answer', async () => {
    const staff = await createStaff(app);
    await db.update(user).set({ deactivatedAt: new Date() }).where(eq(user.id, staff.id));
    const res = await ask(staff.email);
    expect(res.headers.location).toBe('/forgotten-password/check-email');
    expect(await resetEmails(staff.email)).toHaveLength(0);
  });

  it('lets staff choose a new password once, ends every session, and signs in with the new one', async () => {
    const staff = await createStaff(app);
    const signedIn = new Browser(app);
    await signedIn.submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password }, from());
    expect((await signedIn.get('/admin')).statusCode).toBe(200);
    await ask(staff.email);
    const path = await linkTo(staff.email);
    const browser = new Browser(app);
    const weak = await choose(browser, path, 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('nhsuk-error-summary');
    const done = await choose(browser, path);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/sign-in?reset=done');
    expect((await browser.get(done.headers.location!)).body).toContain('Your password has been changed');
    // The session from before is over; the link is used up; the old password no longer works.
    expect((await signedIn.get('/admin')).statusCode).toBe(302);
    const again = await browser.get(path);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This link has expired or has already been used');
    const old = await new Browser(app).submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password }, from());
    expect(old.statusCode).toBe(400);
    const fresh = await new Browser(app).submit('/sign-in', '/sign-in', { email: staff.email, password: NEW_PASSWORD }, from());
    expect(fresh.statusCode).toBe(303);
  });

  it('refuses a link after its hour is up', async () => {
    const staff = await createStaff(app);
    await ask(staff.email);
    const path = await linkTo(staff.email);
    await db
      .update(verification)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(verification.value, staff.id));
    const browser = new Browser(app);
    expect((await browser.get(path)).statusCode).toBe(400);
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    const page = await browser.get('/forgotten-password');
    expect(page.statusCode).toBe(200);
    const res = await browser.submit('/forgotten-password', '/reset-password', {
      token,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This link has expired');
  });

  it('stores the token hashed, never as sent', async () => {
    const staff = await createStaff(app);
    await ask(staff.email);
    const token = new URL(await linkTo(staff.email), 'http://x').searchParams.get('token')!;
    const rows = await db.select().from(verification).where(eq(verification.value, staff.id));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.identifier).not.toContain(token);
  });

  it(`sends at most ${RESET_REQUESTS_PER_HOUR} links an hour to one address`, async () => {
    const staff = await createStaff(app);
    for (let i = 0; i <= RESET_REQUESTS_PER_HOUR; i++)
      expect((await ask(staff.email)).headers.location).toBe('/forgotten-password/check-email');
    expect(await resetEmails(staff.email)).toHaveLength(RESET_REQUESTS_PER_HOUR);
  });

  it('works for a contributor who set a password, from the contributor sign-in page', async () => {
    const { browser, email } = await joinedContributor(app, sink, 'Robin Reset');
    const added = await browser.submit('/profile/sign-in-methods/password/add', '/profile/sign-in-methods/password/add', {
      password: 'harbour violet kettle 9',
      confirmPassword: 'harbour violet kettle 9',
    });
    expect(added.statusCode).toBe(303);
    expect((await new Browser(app).get('/sign-in/password')).body).toContain('href="/forgotten-password"');
    await ask(email);
    const done = await choose(new Browser(app), await linkTo(email));
    expect(done.headers.location).toBe('/sign-in/password?reset=done');
    const signedIn = await new Browser(app).submit('/sign-in/password', '/sign-in/password', { email, password: NEW_PASSWORD }, from());
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/profile');
  });

  it('checks the form: an email address in the right format', async () => {
    const res = await new Browser(app).submit('/forgotten-password', '/forgotten-password', { email: 'not an email' }, from());
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#email"');
  });
});
