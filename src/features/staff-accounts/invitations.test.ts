import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor, type Sink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { staffInvitations, user } from '#src/platform/identity/tables.ts';

const sink = await startSmtpSink();
const { app, db } = await buildTestApp({ smtpUrl: sink.url });
const { browser: admin, staff: adminAccount } = await signedInBrowser(app, 'admin');

const newEmail = () => `colleague-${Math.random().toString(36).slice(2)}@example.org`;
const PASSWORD = 'lantern river paper meadow';

async function invite(fields: Partial<Record<'name' | 'email' | 'role' | 'jobTitle', string>> = {}) {
  const form = { name: 'Priya Shah', email: newEmail(), role: 'staff', jobTitle: 'Communications officer', ...fields };
  const res = await admin.submit('/admin/users/invite', '/admin/users/invite', form);
  return { res, ...form };
}

// The invitation link in the newest email to the address, as a path on this site.
async function invitationLink(s: Sink, email: string, nth = 0) {
  const message = await waitFor(() => s.to(email)[nth]);
  const parsed = await s.parse(message);
  const url = /https?:\/\/[^\s"<>]+\/staff-invitation\/[A-Za-z0-9_-]+/.exec(parsed.text ?? '')?.[0];
  if (!url) throw new Error(`no invitation link in: ${parsed.text}`);
  return { path: new URL(url).pathname, parsed };
}

describe('inviting a colleague', () => {
  it('emails a link with which they choose a password and are signed in to the staff area, once', async () => {
    const { res, email } = await invite({ role: 'involvement' });
    expect(res.statusCode).toBe(303);
    const accountPath = String(res.headers.location).split('?')[0]!;
    const page = await admin.get(String(res.headers.location));
    expect(page.body).toContain('Invitation sent to Priya Shah');
    expect(page.body).toContain('Invited');

    const { path, parsed } = await invitationLink(sink, email);
    expect(parsed.subject).toContain('invited to the');
    expect(parsed.text).toContain('works once, until');
    // Only a hash of the token is kept.
    const [stored] = await db
      .select()
      .from(staffInvitations)
      .where(eq(staffInvitations.tokenHash, path.split('/').pop()!));
    expect(stored).toBeUndefined();

    const colleague = new Browser(app);
    const form = await colleague.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(email);
    expect(form.body).toContain('Involvement staff');

    const short = await colleague.submit(path, path, { password: 'too short', confirmPassword: 'too short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('nhsuk-error-summary');
    expect(short.body).toContain('href="#password"');
    const mismatch = await colleague.submit(path, path, { password: PASSWORD, confirmPassword: 'something else entirely' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('href="#confirmPassword"');

    const done = await colleague.submit(path, path, { password: PASSWORD, confirmPassword: PASSWORD });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/admin');
    expect((await colleague.get('/admin')).statusCode).toBe(200);
    // Involvement staff see the register; not staff accounts.
    expect((await colleague.get('/admin/people')).statusCode).toBe(200);
    expect((await colleague.get('/admin/users')).statusCode).toBe(403);

    // The link works once.
    const again = await new Browser(app).get(path);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('Ask an admin in your organisation to send you a new invitation');

    // They sign in with the password they chose; the list shows them active, with a last sign-in.
    const later = await new Browser(app).submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    expect(later.statusCode).toBe(303);
    const account = await admin.get(accountPath);
    expect(account.body).toContain('Active');
    expect(account.body).not.toContain('>Never<');
    const actions = (await db.select().from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.invited', 'staff.invitation-accepted']));
  });

  it('refuses an address with a staff account, or a contributor account, with a field error and changes nothing', async () => {
    const staff = await invite({ email: adminAccount.email });
    expect(staff.res.statusCode).toBe(400);
    expect(staff.res.body).toContain('This email address already has a staff account');
    expect(staff.res.body).toContain('href="#email"');

    const contributor = await joinedContributor(app, sink, 'Casey Contributor');
    const theirs = await invite({ email: contributor.email });
    expect(theirs.res.statusCode).toBe(400);
    expect(theirs.res.body).toContain('belongs to a contributor’s account');
    const [row] = await db.select({ role: user.role }).from(user).where(eq(user.email, contributor.email));
    expect(row!.role).toBe('contributor');
  });

  it('explains each missing or wrong field, one message each', async () => {
    const res = await admin.submit('/admin/users/invite', '/admin/users/invite', { name: '', email: 'not-an-email', role: 'owner' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter their full name');
    expect(res.body).toContain('Enter an email address in the correct format');
    expect(res.body).toContain('Select a role');
    for (const field of ['name', 'email', 'role']) expect(res.body).toContain(`href="#${field}"`);
  });

  it('gives an invited account no session by any method until the password is chosen', async () => {
    const { email } = await invite();
    const account = await app.services.identity.findAccountByEmail(email);
    // Every way in (password, emailed link, passkey) makes its session through this one call.
    const ctx = await app.auth.$context;
    await expect(ctx.internalAdapter.createSession(account!.id)).rejects.toThrow(/cannot sign in/);
  });

  it('sends the invitation again with a new link (the old one stops working) and cancels one', async () => {
    const { res, email } = await invite();
    const accountPath = String(res.headers.location).split('?')[0]!;
    const first = await invitationLink(sink, email);
    const resent = await admin.submit(accountPath, `${accountPath}/invitation/resend`, {});
    expect(resent.statusCode).toBe(303);
    expect((await admin.get(String(resent.headers.location))).body).toContain('The previous link no longer works');
    const second = await invitationLink(sink, email, 1);
    expect(second.path).not.toBe(first.path);
    expect((await new Browser(app).get(first.path)).statusCode).toBe(410);
    expect((await new Browser(app).get(second.path)).statusCode).toBe(200);

    const cancelled = await admin.submit(accountPath, `${accountPath}/invitation/cancel`, {});
    expect(cancelled.headers.location).toBe('/admin/users?done=cancelled');
    expect((await new Browser(app).get(second.path)).statusCode).toBe(410);
    expect((await admin.get(accountPath)).statusCode).toBe(404);
    expect(await app.services.identity.findAccountByEmail(email)).toBeNull();
  });

  it('answers an expired link with the friendly page and lets the admin see it expired', async () => {
    const { res, email } = await invite();
    const { path } = await invitationLink(sink, email);
    const account = await app.services.identity.findAccountByEmail(email);
    await db
      .update(staffInvitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(staffInvitations.userId, account!.id));
    const expired = await new Browser(app).get(path);
    expect(expired.statusCode).toBe(410);
    const post = await new Browser(app).submit('/join', path, { password: PASSWORD, confirmPassword: PASSWORD });
    expect(post.statusCode).toBe(410);
    expect((await admin.get(String(res.headers.location))).body).toContain('The link has expired');
  });

  it('lists staff accounts only, never contributors, and admins only may see the list', async () => {
    await joinedContributor(app, sink, 'Listed Nowhere');
    const list = await admin.get('/admin/users');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(adminAccount.email);
    expect(list.body).not.toContain('Listed Nowhere');
    const { browser: staff } = await signedInBrowser(app, 'staff');
    expect((await staff.get('/admin/users')).statusCode).toBe(403);
    expect((await admin.get('/admin')).body).toContain('href="/admin/users"');
    expect((await staff.get('/admin')).body).not.toContain('href="/admin/users"');
  });

  it('speaks Welsh on the invitation pages when asked', async () => {
    const { email } = await invite({ role: 'involvement' });
    const { path } = await invitationLink(sink, email);
    const page = await new Browser(app).get(`${path}?lang=cy`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sefydlu eich cyfrif staff');
    expect(page.body).toContain('Staff cynnwys');
    const unknown = await new Browser(app).get('/staff-invitation/not-a-real-token?lang=cy');
    expect(unknown.statusCode).toBe(410);
    expect(unknown.body).toContain('Gofynnwch i weinyddwr');
  });

  it('pages a long list, 50 accounts a page, active accounts first', async () => {
    for (let i = 0; i < 55; i++)
      await app.services.identity.staff.invite(
        {
          name: `Zz Pending ${String(i).padStart(2, '0')}`,
          email: `pending-${i}@example.org`,
          role: 'staff',
          jobTitle: null,
          invitedBy: null,
        },
        db,
      );
    const first = await admin.get('/admin/users');
    expect(first.body).toContain(adminAccount.email);
    expect(first.body).toContain('href="/admin/users?page=2"');
    const second = await admin.get('/admin/users?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Zz Pending 54');
    expect(second.body).not.toContain(adminAccount.email);
    expect(second.body).toContain('href="/admin/users?page=1"');
    // A page number that is no use is read as the nearest page, never an error.
    for (const page of ['0', 'abc', '999']) expect((await admin.get(`/admin/users?page=${page}`)).statusCode).toBe(200);
  });
});
