import type { Db } from '#src/db/client.ts';
import { groupMembers, groups, meetings } from './tables.ts';

let counter = 0;
const suffix = () => `${++counter}-${Math.random().toString(36).slice(2, 7)}`;
const day = 86_400_000;

// A private lived-experience group, straight into the table (the groups area's service is built
// beside this one); override any field.
export async function createGroup(db: Db, over: Partial<typeof groups.$inferInsert> = {}) {
  const s = suffix();
  const [row] = await db
    .insert(groups)
    .values({ slug: `test-group-${s}`, kind: 'lived-experience', name: `Stroke survivors panel ${s}`, visibility: 'private', ...over })
    .returning();
  return row!;
}

export async function addMember(db: Db, groupId: number, userId: string, role: (typeof groupMembers.$inferInsert)['role'] = 'member') {
  await db.insert(groupMembers).values({ groupId, userId, role });
}

// A meeting a week from now, 10:00–12:00 UTC, in person; override any field.
export async function createMeeting(db: Db, over: Partial<typeof meetings.$inferInsert> = {}) {
  const startsAt = new Date(Math.ceil((Date.now() + 7 * day) / day) * day + 10 * 3_600_000);
  const [row] = await db
    .insert(meetings)
    .values({
      title: `Panel meeting ${suffix()}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      mode: 'in-person',
      venueName: 'Riverside Community Centre',
      venueAddress: '1 River Street, Cardiff',
      venueAccess: ['step-free', 'hearing-loop'],
      registration: 'members',
      ...over,
    })
    .returning();
  return row!;
}
