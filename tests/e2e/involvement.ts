import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { contributorProfiles } from '#src/features/profile/tables.ts';
import { groupMembers, groups, meetingRegistrations, meetings } from '#src/features/groups/tables.ts';
import { londonToUtc } from '#src/features/groups/meetings-time.ts';
import { accounts } from './env.ts';

// For the fees and expenses journey (involvement.spec.ts), one set per project, made before the
// server starts: a group led by the involvement staff account, whose meeting two days ago three
// members came to (staff record it in the journey), and a contributor who was not there.
export function e2eInvolvement(project: string) {
  const person = (first: string, extra: { benefits?: 'yes' | 'no' } = {}) => ({
    name: `${first} Claimant ${project}`,
    email: `claim-${first.toLowerCase()}-${project}@example.net`,
    ...extra,
  });
  return {
    group: `Outpatients panel (${project})`,
    slug: `e2e-outpatients-panel-${project}`,
    meeting: `Outpatient letters workshop (${project})`,
    // Claims the fee and mileage with a receipt.
    pat: person('Pat', { benefits: 'no' }),
    // Receives benefits: is shown the advice and chooses vouchers.
    rhi: person('Rhi', { benefits: 'yes' }),
    // Has no email habit: staff enter the claim on their behalf.
    sol: person('Sol', { benefits: 'no' }),
    // Was not there, and must not see anyone's receipt.
    una: person('Una'),
    // The day of the meeting: two days ago, 10:00 to 12:00 UK time.
    day: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10),
    // Each project adds a rate from a different future day, so the two never clash.
    newRateFrom: new Date(Date.now() + (project === 'js' ? 3 : 4) * 86_400_000).toISOString().slice(0, 10),
  };
}

async function contributor(db: Db, p: { name: string; email: string; benefits?: 'yes' | 'no' }) {
  const [row] = await db
    .insert(user)
    .values({ id: randomBytes(16).toString('base64url'), name: p.name, email: p.email, emailVerified: true })
    .returning();
  await db
    .insert(contributorProfiles)
    .values({ userId: row!.id, paymentPreference: 'fee', receivesBenefits: p.benefits ?? null, publicSectorEmployee: 'no' });
  return row!;
}

export async function createE2eInvolvement(db: Db) {
  const [lead] = await db.select().from(user).where(eq(user.email, accounts.involvement.email));
  for (const project of ['js', 'no-js']) {
    const v = e2eInvolvement(project);
    const people = [];
    for (const p of [v.pat, v.rhi, v.sol]) people.push(await contributor(db, p));
    await contributor(db, v.una);
    const [group] = await db
      .insert(groups)
      .values({ slug: v.slug, kind: 'advisory-panel', name: v.group, visibility: 'private', leadUserId: lead!.id })
      .returning();
    await db.insert(groupMembers).values(people.map((a) => ({ groupId: group!.id, userId: a.id })));
    const [meeting] = await db
      .insert(meetings)
      .values({
        groupId: group!.id,
        title: v.meeting,
        startsAt: londonToUtc(v.day, '10:00')!,
        endsAt: londonToUtc(v.day, '12:00')!,
        mode: 'in-person',
        venueName: 'Riverside Centre',
        venueAddress: '4 Mill Lane, Riverside',
        createdBy: lead!.id,
      })
      .returning();
    await db
      .insert(meetingRegistrations)
      .values(people.map((a) => ({ meetingId: meeting!.id, userId: a.id, status: 'registered' as const })));
  }
}
