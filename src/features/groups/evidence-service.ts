import { sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { meetingAccessRequests, meetingRegistrations, meetings } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    meetingEvidence: MeetingEvidence;
  }
}

// What the involvement standards' computed evidence needs from meetings (the accountability
// feature, issue 15): counts over a period of whole UK days, both ends included.
export function createMeetingEvidence(db: Db) {
  return {
    // Access requests for meetings held in the period (not cancelled ones), and how many were
    // marked arranged before the meeting started.
    async accessRequestsArranged(days: { from: string; to: string }): Promise<{ requests: number; arrangedBefore: number }> {
      const [row] = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select count(*)::int as requests,
            count(*) filter (where ${meetingAccessRequests.arrangedAt} < ${meetings.startsAt})::int as arranged
          from ${meetingAccessRequests}
          join ${meetingRegistrations} on ${meetingRegistrations.id} = ${meetingAccessRequests.registrationId}
          join ${meetings} on ${meetings.id} = ${meetingRegistrations.meetingId}
          where ${meetings.status} <> 'cancelled'
            and (${meetings.startsAt} at time zone 'Europe/London')::date between ${days.from} and ${days.to}`),
      );
      return { requests: Number(row?.requests ?? 0), arrangedBefore: Number(row?.arranged ?? 0) };
    },
  };
}
export type MeetingEvidence = ReturnType<typeof createMeetingEvidence>;
