import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, createStaff, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { twoFactor, user } from '#src/platform/identity/tables.ts';

const sink = await startSmtpSink();
const { app, db } = await buildTestApp({ smtpUrl: sink.url });
const { browser: admin, staff: adminAccount } = await signedInBrowser(app, 'admin');

// A colleague with two-factor sign-in on, as the set-up at /account/two-factor leaves it.
async function colleagueWithTwoFactor() {
  const colleague = await createStaff(app, 'staff');
  await db
    .insert(twoFactor)
    .values({ id: `tf-${colleague.id}`, userId: colleague.id, secret: 'encrypted-secret', backupCodes: 'encrypted-codes' });
  await db.update(user).set({ twoFactorEnabled: true }).where(eq(user.id, colleague.id));
  return colleague;
}

describe('an admin turns off a colleague’s two-factor sign-in', () => {
  it('shows it on their account, asks first, deletes their key and codes, tells them by email and records it', async () => {
    const colleague = await colleagueWithTwoFactor();
    const account = await admin.get(`/admin/users/${colleague.id}`);
    expect(account.body).toMatch(/Two-factor sign-in[\s\S]*?On[\s\S]*?Turn off/);

    const confirm = await admin.get(`/admin/users/${colleague.id}/two-factor`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('lost both the phone with their authenticator app and their recovery codes');
    expect(await db.select().from(twoFactor).where(eq(twoFactor.userId, colleague.id))).toHaveLength(1);

    const done = await admin.submit(`/admin/users/${colleague.id}/two-factor`, `/admin/users/${colleague.id}/two-factor`, {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/admin/users/${colleague.id}?done=twoFactorRemoved`);
    expect((await admin.get(String(done.headers.location))).body).toContain('Two-factor sign-in is off for');

    expect(await db.select().from(twoFactor).where(eq(twoFactor.userId, colleague.id))).toHaveLength(0);
    const [row] = await db.select({ on: user.twoFactorEnabled }).from(user).where(eq(user.id, colleague.id));
    expect(row!.on).toBe(false);
    const audit = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff.two-factor-removed'), eq(auditEvents.subjectUserId, colleague.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(adminAccount.id);
    const email = await sink.parse(await waitFor(() => sink.to(colleague.email)[0]));
    expect(email.subject).toMatch(/two-factor sign-in .* was turned off/);
    expect(email.text).toContain('If you did not ask for this, tell an admin straight away.');
  });

  it('has nothing to turn off for a colleague without it', async () => {
    const colleague = await createStaff(app, 'staff');
    expect((await admin.get(`/admin/users/${colleague.id}`)).body).not.toContain('/two-factor"');
    const page = await admin.get(`/admin/users/${colleague.id}/two-factor`);
    expect(page.statusCode).toBe(302);
  });

  it('is for admins only', async () => {
    const colleague = await colleagueWithTwoFactor();
    const { browser: staff } = await signedInBrowser(app, 'staff');
    expect((await staff.get(`/admin/users/${colleague.id}/two-factor`)).statusCode).toBe(403);
    expect(await db.select().from(twoFactor).where(eq(twoFactor.userId, colleague.id))).toHaveLength(1);
  });
});
