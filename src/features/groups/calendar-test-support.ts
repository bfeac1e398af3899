import type { Db } from '#src/db/client.ts';
import { meetingAccessRequests, meetingRegistrations, type meetings } from './tables.ts';
import { createMeeting } from './meetings-test-support.ts';

// Rows for the calendar area's tests, inserted directly (the meetings and groups areas' services
// are built alongside, so the calendar tests do not depend on them).
const DAY = 24 * 3600_000;

// Groups and members as the meetings area's tests make them.
export { addMember, createGroup as insertGroup } from './meetings-test-support.ts';

// An in-person meeting of an hour and a half, ten days away on the minute (as staff set times);
// override any field.
export async function insertMeeting(db: Db, over: Partial<typeof meetings.$inferInsert> = {}) {
  const startsAt = over.startsAt ?? new Date(Math.floor((Date.now() + 10 * DAY) / 60_000) * 60_000);
  return createMeeting(db, {
    title: 'Planning the new clinic',
    agendaMarkdown: '1. Welcome\n2. The waiting room, seats and signs',
    startsAt,
    endsAt: new Date(startsAt.getTime() + 90 * 60_000),
    venueName: 'Riverside Community Hall',
    venueAddress: '1 Mill Lane\nRiverside\nRV1 2AB',
    ...over,
  });
}

export async function insertRegistration(
  db: Db,
  meetingId: number,
  userId: string,
  over: Partial<typeof meetingRegistrations.$inferInsert> = {},
  needs: { need: string; detail?: string; arrangedAt?: Date }[] = [],
) {
  const [row] = await db
    .insert(meetingRegistrations)
    .values({ meetingId, userId, status: 'registered', listedAt: new Date(Date.now() - 30 * DAY), ...over })
    .returning();
  if (needs.length) await db.insert(meetingAccessRequests).values(needs.map((n) => ({ registrationId: row!.id, ...n })));
  return row!;
}
