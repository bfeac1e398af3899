import { desc, eq, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { utcToLondon } from './meetings-time.ts';
import { groups, meetings } from './tables.ts';

// What the accountability feature's "you said, we did" log needs of a meeting whose minutes are
// published, to start an entry in one step. The meeting's page is linked only when its minutes are
// public (members-only minutes would be a dead end for the public). Each read takes the caller's
// runner so the demo can use it in the seed's transaction.
export type MeetingSaidDidDraft = {
  id: number;
  title: string;
  path: string | null;
  minutesMarkdown: string;
  groupId: number | null;
  groupName: string | null;
  happenedOn: string;
};

export function createMeetingSaidDid(db: Db) {
  return {
    // null: no such meeting, or its minutes are not published.
    async saidDidDraft(meetingId: number, runner: Db | Tx = db): Promise<MeetingSaidDidDraft | null> {
      const [row] = await runner
        .select({ meeting: meetings, groupName: groups.name })
        .from(meetings)
        .leftJoin(groups, eq(groups.id, meetings.groupId))
        .where(eq(meetings.id, meetingId));
      if (!row?.meeting.minutesPublishedAt) return null;
      const m = row.meeting;
      return {
        id: m.id,
        title: m.title,
        path: m.minutesPublic ? `/meetings/${m.id}` : null,
        minutesMarkdown: m.minutesMarkdown ?? '',
        groupId: m.groupId,
        groupName: row.groupName,
        happenedOn: utcToLondon(m.startsAt).date,
      };
    },

    // Meetings of groups with published minutes, latest first, with the group's address name.
    withPublishedMinutes: (runner: Db | Tx = db) =>
      runner
        .select({ id: meetings.id, title: meetings.title, groupId: meetings.groupId, groupSlug: groups.slug })
        .from(meetings)
        .innerJoin(groups, eq(groups.id, meetings.groupId))
        .where(isNotNull(meetings.minutesPublishedAt))
        .orderBy(desc(meetings.startsAt)),
  };
}
