import { and, asc, count, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { meetingAccessRequests, meetingRegistrations, meetings } from './tables.ts';

// What people asked for to take part, as staff see it: per meeting, with the person's name.
export function createAccessRequestsRepository(db: Db) {
  return {
    // Requests of people still registered or waiting (a cancelled place needs nothing arranged).
    forMeeting: (meetingId: number) =>
      db
        .select({ request: meetingAccessRequests, registration: meetingRegistrations, name: user.name })
        .from(meetingAccessRequests)
        .innerJoin(meetingRegistrations, eq(meetingRegistrations.id, meetingAccessRequests.registrationId))
        .innerJoin(user, eq(user.id, meetingRegistrations.userId))
        .where(and(eq(meetingRegistrations.meetingId, meetingId), inArray(meetingRegistrations.status, ['registered', 'waitlisted'])))
        .orderBy(asc(user.name), asc(meetingAccessRequests.id)),

    async one(id: number, tx: Tx) {
      const [row] = await tx
        .select({ request: meetingAccessRequests, registration: meetingRegistrations })
        .from(meetingAccessRequests)
        .innerJoin(meetingRegistrations, eq(meetingRegistrations.id, meetingAccessRequests.registrationId))
        .where(eq(meetingAccessRequests.id, id))
        .for('update');
      return row ?? null;
    },

    async markArranged(id: number, values: { arrangedBy: string; arrangedNote: string | null; at: Date }, tx: Tx) {
      await tx
        .update(meetingAccessRequests)
        .set({ arrangedAt: values.at, arrangedBy: values.arrangedBy, arrangedNote: values.arrangedNote, toldAt: values.at })
        .where(eq(meetingAccessRequests.id, id));
    },

    // Not yet arranged, for meetings still to come (the staff home's count).
    async pendingUpcoming(now: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(meetingAccessRequests)
        .innerJoin(meetingRegistrations, eq(meetingRegistrations.id, meetingAccessRequests.registrationId))
        .innerJoin(meetings, eq(meetings.id, meetingRegistrations.meetingId))
        .where(
          and(
            isNull(meetingAccessRequests.arrangedAt),
            inArray(meetingRegistrations.status, ['registered', 'waitlisted']),
            eq(meetings.status, 'scheduled'),
            gte(meetings.endsAt, now),
          ),
        );
      return Number(row?.n ?? 0);
    },

    // Retention: every request for meetings that ended before `before`.
    async eraseForMeetingsEndedBefore(before: Date): Promise<number> {
      const ended = db
        .select({ id: meetingRegistrations.id })
        .from(meetingRegistrations)
        .innerJoin(meetings, eq(meetings.id, meetingRegistrations.meetingId))
        .where(lt(meetings.endsAt, before));
      const gone = await db
        .delete(meetingAccessRequests)
        .where(inArray(meetingAccessRequests.registrationId, ended))
        .returning({ id: meetingAccessRequests.id });
      return gone.length;
    },
  };
}
