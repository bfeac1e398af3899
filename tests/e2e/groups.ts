import { randomBytes } from 'node:crypto';
import type { Db } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { createApplication, createOpportunity } from '#src/features/opportunities/test-support.ts';
import { groupMembers, groups, meetingRegistrations, meetings } from '#src/features/groups/tables.ts';

// For the groups and meetings journey (groups.spec.ts), one set per project, made before the
// server starts: an opportunity whose three selected applicants become a group, a contributor who
// is in no group, and an older group whose meeting finished yesterday, for staff to record who came.
export function e2eGroup(project: string) {
  const person = (first: string) => ({
    name: `${first} Panel ${project}`,
    email: `panel-${first.toLowerCase()}-${project}@example.net`,
  });
  return {
    opportunity: { slug: `e2e-discharge-panel-${project}`, title: `Join our discharge panel (${project})` },
    group: `Discharge panel (${project})`,
    // Selected applicants, in the order they will register for the two-place meeting.
    ann: person('Ann'),
    ben: person('Ben'),
    cal: person('Cal'),
    // Signed up, but in no group.
    dee: person('Dee'),
    past: { group: `Appointment letters panel (${project})`, slug: `e2e-letters-panel-${project}`, meeting: `Letters review (${project})` },
    // The same group meets again in 23 hours: the day-before reminder is due when the server starts.
    tomorrow: `Letters follow-up (${project})`,
  };
}

async function account(db: Db, p: { name: string; email: string }) {
  const [row] = await db
    .insert(user)
    .values({ id: randomBytes(16).toString('base64url'), name: p.name, email: p.email, emailVerified: true })
    .returning();
  return row!;
}

export async function createE2eGroups(db: Db) {
  for (const project of ['js', 'no-js']) {
    const g = e2eGroup(project);
    const closedAt = new Date(Date.now() - 7 * 86_400_000);
    const o = await createOpportunity(db, {
      ...g.opportunity,
      status: 'selection-done',
      closesAt: closedAt,
      closedAt,
      places: 3,
      type: 'lived-experience-group',
    });
    const people = [];
    for (const p of [g.ann, g.ben, g.cal]) {
      const a = await account(db, p);
      people.push(a);
      await createApplication(db, o.id, a.id, { selection: 'selected', submittedAt: closedAt });
    }
    await account(db, g.dee);
    const [past] = await db
      .insert(groups)
      .values({ slug: g.past.slug, kind: 'advisory-panel', name: g.past.group, visibility: 'private' })
      .returning();
    await db.insert(groupMembers).values(people.slice(0, 2).map((a) => ({ groupId: past!.id, userId: a.id })));
    const yesterday = Date.now() - 86_400_000;
    const [meeting] = await db
      .insert(meetings)
      .values({
        groupId: past!.id,
        title: g.past.meeting,
        startsAt: new Date(yesterday),
        endsAt: new Date(yesterday + 90 * 60_000),
        mode: 'online',
        joinUrl: 'https://meet.example.org/letters',
      })
      .returning();
    await db
      .insert(meetingRegistrations)
      .values(people.slice(0, 2).map((a) => ({ meetingId: meeting!.id, userId: a.id, status: 'registered' as const })));
    const soon = Date.now() + 23 * 3_600_000;
    const [next] = await db
      .insert(meetings)
      .values({
        groupId: past!.id,
        title: g.tomorrow,
        startsAt: new Date(soon),
        endsAt: new Date(soon + 60 * 60_000),
        mode: 'in-person',
        venueName: 'Riverside Centre',
        venueAddress: '4 Mill Lane, Riverside',
        venueAccess: ['step-free'],
      })
      .returning();
    await db
      .insert(meetingRegistrations)
      .values({ meetingId: next!.id, userId: people[0]!.id, status: 'registered', listedAt: new Date(Date.now() - 2 * 86_400_000) });
  }
}
