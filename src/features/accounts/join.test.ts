import { describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { Browser, buildTestApp, createStaff } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor, linkEmailedTo } from '#tests/helpers/contributors.ts';
import { user, verification } from '#src/platform/identity/tables.ts';
import { consentEvents } from '#src/features/data-rights/tables.ts';
import { signInLinkRequests as joinRequests } from '#src/platform/identity/tables.ts';
import { PRIVACY_NOTICE_VERSION } from '#src/features/data-rights/schema.ts';

describe('joining and signing in by email link', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });

  it('explains joining, then request → email → link → Continue → signed in as a contributor with consent recorded', async () => {
    const browser = new Browser(app);
    const page = await browser.get('/join');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    expect(page.body).toContain('href="/privacy#contributors"');
    expect(page.body).toContain(PRIVACY_NOTICE_VERSION);
    expect(page.body).toContain('Full name');
    expect(page.body).toContain('Email address');

    const sent = await browser.submit('/join', '/join', { name: 'Jo Joiner', email: 'Jo@Example.net', consent: 'yes' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/join/check-email');
    expect((await browser.get('/join/check-email')).body).toContain('Check your email');
    // Nobody exists, and no consent is recorded, until the address is proved.
    expect(await db.select().from(user).where(eq(user.email, 'jo@example.net'))).toHaveLength(0);

    const { parsed, path } = await linkEmailedTo(sink, 'jo@example.net');
    expect(parsed.subject).toContain('Confirm your email address');
    expect(parsed.text).toContain('15 minutes');

    // Following the link (what a link scanner does) signs nobody in and spends nothing.
    const landing = await new Browser(app).get(path);
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain('Continue');
    expect(landing.headers['set-cookie']?.toString() ?? '').not.toContain('session_token');

    const done = await browser.submit(path, '/sign-in/continue', {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/profile/welcome');
    // A welcome that says what happens next: an optional profile, being contacted, changing preferences.
    const welcome = await browser.get('/profile/welcome');
    expect(welcome.statusCode).toBe(200);
    for (const text of [
      'Thank you for joining, Jo Joiner.',
      'What happens next',
      'Every step is optional',
      'We will contact you about chances to get involved',
      'You can change how we contact you',
    ])
      expect(welcome.body).toContain(text);
    const profile = await browser.get('/profile');
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain('Your profile');
    expect(profile.body).toContain('Hello Jo Joiner');

    const [account] = await db.select().from(user).where(eq(user.email, 'jo@example.net'));
    expect(account!.role).toBe('contributor');
    expect(account!.name).toBe('Jo Joiner');
    const consents = await db.select().from(consentEvents).where(eq(consentEvents.userId, account!.id));
    expect(consents).toHaveLength(1);
    expect(consents[0]!.privacyNoticeVersion).toBe(PRIVACY_NOTICE_VERSION);
    expect(consents[0]!.action).toBe('given');
    expect(await db.select().from(joinRequests).where(eq(joinRequests.email, 'jo@example.net'))).toHaveLength(0);

    // Single use: the same link again is refused, for anyone.
    const again = await new Browser(app).submit(path, '/sign-in/continue', {});
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This link has expired or has already been used');
    expect(again.headers['set-cookie']?.toString() ?? '').not.toContain('session_token');
  });

  it('signs an existing contributor in from /sign-in/email, and says the same for an unknown or staff address', async () => {
    const { email } = await joinedContributor(app, sink, 'Sid Signin');
    const staff = await createStaff(app, 'staff');
    const before = sink.delivered.length;
    for (const address of ['nobody-here@example.net', staff.email]) {
      const res = await new Browser(app).submit('/sign-in/email', '/sign-in/email', { email: address });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/sign-in/email/check-email');
    }
    const browser = new Browser(app);
    const res = await browser.submit('/sign-in/email', '/sign-in/email', { email });
    expect(res.headers.location).toBe('/sign-in/email/check-email');
    const { parsed, path } = await linkEmailedTo(sink, email, 1);
    expect(parsed.subject).toContain('Your link to sign in');
    const done = await browser.submit(path, '/sign-in/continue', {});
    expect(done.headers.location).toBe('/profile');
    expect((await browser.get('/profile')).statusCode).toBe(200);
    // Only the contributor's email went out: nothing to the unknown address or to staff.
    await waitFor(() => sink.delivered.length > before);
    expect(sink.to('nobody-here@example.net')).toHaveLength(0);
    expect(sink.to(staff.email)).toHaveLength(0);
  });

  it('refuses a link after 15 minutes', async () => {
    const browser = new Browser(app);
    await browser.submit('/join', '/join', { name: 'Late Larry', email: 'late@example.net', consent: 'yes' });
    const { path } = await linkEmailedTo(sink, 'late@example.net');
    const [row] = await db.select().from(verification).orderBy(desc(verification.createdAt)).limit(1);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeLessThanOrEqual(15 * 60_000 + 1000);
    await db
      .update(verification)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(verification.id, row!.id));
    const res = await browser.submit(path, '/sign-in/continue', {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This link has expired or has already been used');
    expect(await db.select().from(user).where(eq(user.email, 'late@example.net'))).toHaveLength(0);
  });

  it('refuses bad input with the error summary, storing nothing', async () => {
    const browser = new Browser(app);
    const before = (await db.select().from(joinRequests)).length;
    const res = await browser.submit('/join', '/join', { name: '<script>x</script>', email: 'not an email' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).toContain('Full name must not include');
    expect(res.body).toContain('Enter an email address in the correct format');
    expect(res.body).toContain('Confirm that you have read the privacy notice');
    expect(res.body).not.toContain('<script>x</script>');
    const empty = await browser.submit('/sign-in/email', '/sign-in/email', { email: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your email address');
    expect(await db.select().from(joinRequests)).toHaveLength(before);
  });

  it('refuses a made-up token, and a form without a CSRF token', async () => {
    const res = await new Browser(app).submit('/sign-in/continue?token=abcdefghijklmnopqrstuvwxyz123456', '/sign-in/continue', {});
    expect(res.statusCode).toBe(400);
    const noCsrf = await new Browser(app).post('/join', { name: 'A', email: 'a@example.net', consent: 'yes' });
    expect(noCsrf.statusCode).toBe(403);
    const badShape = await new Browser(app).get('/sign-in/continue?token=%3Cscript%3E');
    expect(badShape.statusCode).toBe(400);
  });
});
