import type { SeedContext } from '#src/platform/feature.ts';

// Demo staff accounts, so a newcomer's first look at /admin/users shows what the statuses mean: a
// colleague invited but not yet set up (no email is sent, nobody holds the link) and a former
// colleague whose account was deactivated. Neither can sign in. Run twice, it adds nothing.
export async function seedDemoStaffAccounts({ db, services }: SeedContext) {
  const staff = services.identity.staff;
  if ((await services.identity.existingAccountEmails(['tomasz.nowak@example.org'], db)).size) return;
  await staff.invite(
    { name: 'Tomasz Nowak', email: 'tomasz.nowak@example.org', role: 'staff', jobTitle: 'Communications officer', invitedBy: null },
    db,
  );
  const former = await staff.invite(
    {
      name: 'Grace Adeyemi',
      email: 'grace.adeyemi@example.org',
      role: 'involvement',
      jobTitle: 'Former research assistant',
      invitedBy: null,
    },
    db,
  );
  if (former) await staff.setDeactivated(former.userId, true, db);
}
