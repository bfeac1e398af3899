import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, createStaff } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';

describe('a member of staff’s own account', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url, trustProxy: true });
  let address = 0;
  const from = () => ({ 'x-forwarded-for': `192.0.2.${++address}` });
  const signIn = async (role: 'staff' | 'admin' = 'staff') => {
    const staff = await createStaff(app, role);
    const browser = new Browser(app);
    await browser.submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password }, from());
    return { staff, browser };
  };
  const audited = (userId: string, action: string) =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, userId), eq(auditEvents.action, action)));
  const emailTo = (to: string, subject: RegExp) =>
    waitFor(async () => {
      for (const m of sink.to(to)) {
        const parsed = await sink.parse(m);
        if (subject.test(parsed.subject ?? '')) return parsed;
      }
      return undefined;
    });

  it('is linked from the header for staff and says the job title is shown on replies', async () => {
    const { browser } = await signIn();
    const home = await browser.get('/admin');
    expect(home.body).toContain('href="/account"');
    const page = await browser.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('shown to the public beside your replies');
    expect(page.body).not.toContain('two-factor-requirement');
  });

  it('changes name and job title, audited, and checks the name', async () => {
    const { staff, browser } = await signIn();
    const empty = await browser.submit('/account/details', '/account/details', { name: '', jobTitle: 'Lead' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your name');
    const saved = await browser.submit('/account/details', '/account/details', { name: 'Sam Rivers', jobTitle: 'Head of involvement' });
    expect(saved.headers.location).toBe('/account?saved=details');
    const page = await browser.get('/account');
    expect(page.body).toContain('Sam Rivers');
    expect(page.body).toContain('Head of involvement');
    expect(await audited(staff.id, 'account.details-changed')).toHaveLength(1);
  });

  it('changes the email address only when the link sent to the new one is followed, and tells the old one', async () => {
    const { staff, browser } = await signIn();
    const next = `new-${Math.random().toString(36).slice(2)}@example.org`;
    const same = await browser.submit('/account/email', '/account/email', { email: staff.email });
    expect(same.statusCode).toBe(400);
    const sent = await browser.submit('/account/email', '/account/email', { email: next });
    expect(sent.headers.location).toBe('/account?saved=email-sent');
    expect((await app.services.identity.findAccountById(staff.id))!.email).toBe(staff.email);
    const message = await emailTo(next, /Confirm your new email address/);
    const url = new URL(/https?:\/\/[^\s"<>]+\/account\/email\/confirm\?token=[A-Za-z0-9_-]+/.exec(message.text ?? '')![0]);
    // The link works signed out too, and once.
    const anyone = new Browser(app);
    const done = await anyone.submit(url.pathname + url.search, '/account/email/confirm', {});
    expect(done.statusCode).toBe(303);
    expect((await app.services.identity.findAccountById(staff.id))!.email).toBe(next);
    const again = await anyone.submit(url.pathname + url.search, '/account/email/confirm', {});
    expect(again.statusCode).toBe(400);
    const told = await emailTo(staff.email, /email address .* has been changed/);
    expect(told.text).toContain(next);
    expect(await audited(staff.id, 'account.email-changed')).toHaveLength(1);
  });

  it('changes the password with the current one, ending other sessions', async () => {
    const { staff, browser } = await signIn();
    const elsewhere = new Browser(app);
    await elsewhere.submit('/sign-in', '/sign-in', { email: staff.email, password: staff.password }, from());
    const wrong = await browser.submit('/account/password', '/account/password', {
      currentPassword: 'not my password at all',
      password: 'meadow copper signal 5',
      confirmPassword: 'meadow copper signal 5',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Enter your current password correctly');
    const done = await browser.submit('/account/password', '/account/password', {
      currentPassword: staff.password,
      password: 'meadow copper signal 5',
      confirmPassword: 'meadow copper signal 5',
    });
    expect(done.headers.location).toBe('/account?saved=password');
    expect((await browser.get('/account')).statusCode).toBe(200);
    expect((await elsewhere.get('/admin')).statusCode).toBe(302);
    expect(await audited(staff.id, 'account.password-changed')).toHaveLength(1);
    await emailTo(staff.email, /password .* has been changed/);
  });

  it('is not for contributors or visitors', async () => {
    expect((await new Browser(app).get('/account')).statusCode).toBe(302);
  });
});
