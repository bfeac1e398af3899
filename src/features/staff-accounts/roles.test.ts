import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, createStaff, signedInBrowser } from '#tests/helpers/app.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { session } from '#src/platform/identity/tables.ts';

const { app, db } = await buildTestApp();
// The only admin in this database, until the last test makes another.
const { browser: admin, staff: onlyAdmin } = await signedInBrowser(app, 'admin');
const accountPath = (id: string) => `/admin/users/${encodeURIComponent(id)}`;
const signIn = (who: { email: string; password: string }) => new Browser(app).submit('/sign-in', '/sign-in', who);

describe('roles, deactivation and the last admin', () => {
  it('never lets the only active admin be demoted or deactivated', async () => {
    const path = accountPath(onlyAdmin.id);
    const demote = await admin.submit(`${path}/role`, `${path}/role`, { role: 'staff' });
    expect(demote.statusCode).toBe(400);
    expect(demote.body).toContain('They are the only active admin');
    expect(demote.body).toContain('href="#role"');
    const deactivate = await admin.submit(`${path}/deactivate`, `${path}/deactivate`, {});
    expect(deactivate.statusCode).toBe(409);
    expect(deactivate.body).toContain('This is the only active admin account');
    expect((await admin.get('/admin/users')).statusCode).toBe(200);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, onlyAdmin.id))).toEqual([]);
  });

  it('changes a role, showing what each role can do, and writes it to the audit log', async () => {
    const colleague = await createStaff(app, 'staff');
    const path = accountPath(colleague.id);
    const form = await admin.get(`${path}/role`);
    expect(form.body).toContain('the register of contributors');
    const changed = await admin.submit(`${path}/role`, `${path}/role`, { role: 'involvement' });
    expect(changed.statusCode).toBe(303);
    expect((await admin.get(String(changed.headers.location))).body).toContain('Test staff is now Involvement staff');
    const [entry] = await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, colleague.id));
    expect(entry).toMatchObject({ action: 'staff.role-changed', actorUserId: onlyAdmin.id, details: { from: 'staff', to: 'involvement' } });
    const signedIn = await signIn(colleague);
    expect(signedIn.statusCode).toBe(303);
    const refused = await admin.submit(`${path}/role`, `${path}/role`, { role: 'owner' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Select a role');
  });

  it('deactivates an account: every session ends, no way in works, and reactivating lets them back', async () => {
    const colleague = await createStaff(app, 'staff');
    const theirs = new Browser(app);
    expect((await theirs.submit('/sign-in', '/sign-in', colleague)).statusCode).toBe(303);
    expect((await theirs.get('/admin')).statusCode).toBe(200);
    const path = accountPath(colleague.id);
    const confirm = await admin.get(`${path}/deactivate`);
    expect(confirm.body).toContain('They will be signed out everywhere straight away');
    const done = await admin.submit(`${path}/deactivate`, `${path}/deactivate`, {});
    expect(done.statusCode).toBe(303);
    expect((await admin.get(String(done.headers.location))).body).toContain('account has been deactivated');

    expect(await db.select().from(session).where(eq(session.userId, colleague.id))).toEqual([]);
    expect((await theirs.get('/admin')).statusCode).toBe(302);
    const again = await signIn(colleague);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Enter a correct email address and password');
    // Emailed links and passkeys make their sessions through the same call: refused too.
    const ctx = await app.auth.$context;
    await expect(ctx.internalAdapter.createSession(colleague.id)).rejects.toThrow(/cannot sign in/);
    expect((await admin.get('/admin/users')).body).toContain('Deactivated');

    const reactivated = await admin.submit(path, `${path}/reactivate`, {});
    expect(reactivated.statusCode).toBe(303);
    expect((await signIn(colleague)).statusCode).toBe(303);
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, colleague.id))).map((e) => e.action);
    expect(actions.sort()).toEqual(['staff.deactivated', 'staff.reactivated']);
  });

  it('lets an admin step down or leave only while another admin can sign in, and answers unknown accounts with not found', async () => {
    const second = await createStaff(app, 'admin');
    const path = accountPath(onlyAdmin.id);
    const res = await admin.submit(`${path}/role`, `${path}/role`, { role: 'involvement' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    expect((await admin.get('/admin/users')).statusCode).toBe(403);
    const other = new Browser(app);
    await other.submit('/sign-in', '/sign-in', second);
    for (const url of ['/admin/users/no-such-account', '/admin/users/%3Cscript%3E', '/admin/users/no-such-account/role'])
      expect((await other.get(url)).statusCode).toBe(404);

    // Now the only active admin themselves: they cannot deactivate their own account, until there is another.
    const own = accountPath(second.id);
    expect((await other.submit(`${own}/deactivate`, `${own}/deactivate`, {})).statusCode).toBe(409);
    await createStaff(app, 'admin');
    const left = await other.submit(`${own}/deactivate`, `${own}/deactivate`, {});
    expect(left.statusCode).toBe(303);
    expect(left.headers.location).toBe('/');
    expect((await other.get('/admin')).statusCode).toBe(302);
  });
});
