import { and, asc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import type { Translations } from '#src/lib/localised.ts';
import { calendarFeeds, meetingAccessRequests, meetingRegistrations, meetings } from './tables.ts';

// What a calendar entry is made from: a meeting's own columns (the meetings area's full row fits).
export type CalendarMeeting = Pick<
  typeof meetings.$inferSelect,
  | 'id'
  | 'groupId'
  | 'title'
  | 'agendaMarkdown'
  | 'startsAt'
  | 'endsAt'
  | 'mode'
  | 'venueName'
  | 'venueAddress'
  | 'venueAccess'
  | 'joinUrl'
  | 'status'
  | 'sequence'
  | 'translations'
  | 'updatedAt'
>;

const calendarColumns = {
  id: meetings.id,
  groupId: meetings.groupId,
  title: meetings.title,
  agendaMarkdown: meetings.agendaMarkdown,
  startsAt: meetings.startsAt,
  endsAt: meetings.endsAt,
  mode: meetings.mode,
  venueName: meetings.venueName,
  venueAddress: meetings.venueAddress,
  venueAccess: meetings.venueAccess,
  joinUrl: meetings.joinUrl,
  status: meetings.status,
  sequence: meetings.sequence,
  translations: meetings.translations,
  updatedAt: meetings.updatedAt,
};

export type FeedEntry = CalendarMeeting & { placeStatus: 'registered' | 'waitlisted' | 'cancelled'; language: string };
type FeedRow = {
  user_id: string;
  id: number | null;
  group_id: number | null;
  title: string;
  agenda_markdown: string;
  starts_at: Date | string;
  ends_at: Date | string;
  mode: CalendarMeeting['mode'];
  venue_name: string | null;
  venue_address: string | null;
  venue_access: string[];
  join_url: string | null;
  status: CalendarMeeting['status'];
  sequence: number;
  translations: Translations | null;
  updated_at: Date | string;
  place_status: FeedEntry['placeStatus'];
  language: string;
};

export type DueReminder = { meetingId: number; userId: string; registrationId: number; language: string; days: number };

// The moment a reminder falls due may be missed while the site is down; after this long it is
// dropped rather than sent late (a "week before" reminder two days before would mislead).
export const REMINDER_GRACE_HOURS = 12;

// Meetings, registrations and access requests are the meetings area's tables, read here (same
// feature) for calendars and reminders; calendar_feeds is this area's own.
export function createCalendarRepository(db: Db) {
  return {
    async meeting(id: number): Promise<CalendarMeeting | null> {
      const [row] = await db.select(calendarColumns).from(meetings).where(eq(meetings.id, id));
      return row ?? null;
    },

    // Open events (no group) still to finish, and those cancelled lately so subscribers drop them.
    openEvents: (since: Date) =>
      db
        .select(calendarColumns)
        .from(meetings)
        .where(and(isNull(meetings.groupId), gte(meetings.endsAt, since)))
        .orderBy(asc(meetings.startsAt))
        .limit(500),

    // A personal feed in one query: the token's owner and their places from `since` on. The nested
    // join keeps the owner's row when they have no meetings (an empty feed, not "not found").
    async feedByToken(token: string, since: Date): Promise<{ userId: string; entries: FeedEntry[] } | null> {
      const rows = rowsOf<FeedRow>(
        await db.execute(sql`
          select f.user_id, m.id, m.group_id, m.title, m.agenda_markdown, m.starts_at, m.ends_at, m.mode, m.venue_name,
                 m.venue_address, m.venue_access, m.join_url, m.status, m.sequence, m.translations, m.updated_at,
                 r.status as place_status, r.language
          from calendar_feeds f
          left join (meeting_registrations r join meetings m on m.id = r.meeting_id and m.ends_at >= ${since.toISOString()}::timestamptz)
            on r.user_id = f.user_id
          where f.token = ${token}
          order by m.starts_at`),
      );
      if (!rows.length) return null;
      const entries = rows.filter((r) => r.id !== null).map(feedEntry);
      return { userId: rows[0]!.user_id, entries };
    },

    async feedOf(userId: string) {
      const [row] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
      return row ?? null;
    },

    // One address per person: a new token replaces the old one, which then finds nothing.
    async replaceFeed(userId: string, token: string, runner: Db | Tx = db) {
      await runner
        .insert(calendarFeeds)
        .values({ userId, token })
        .onConflictDoUpdate({ target: calendarFeeds.userId, set: { token, createdAt: new Date() } });
    },

    // Registered people whose reminder is due: its moment (the start less `days`) has come within
    // the grace period, the meeting has not started nor been cancelled, and they held their place
    // before that moment (someone who registers later was just sent everything in the confirmation).
    async dueReminders(now: Date): Promise<DueReminder[]> {
      const at = now.toISOString();
      const rows = rowsOf<{ meeting_id: number; user_id: string; registration_id: number; language: string; days: string }>(
        await db.execute(sql`
          select m.id as meeting_id, r.user_id, r.id as registration_id, r.language, d.days
          from meetings m
          cross join lateral jsonb_array_elements_text(m.reminder_days) as d(days)
          join meeting_registrations r on r.meeting_id = m.id and r.status = 'registered'
          where m.status = 'scheduled' and m.starts_at > ${at}::timestamptz
            and m.starts_at - d.days::int * interval '1 day' <= ${at}::timestamptz
            and m.starts_at - d.days::int * interval '1 day' > ${at}::timestamptz - ${REMINDER_GRACE_HOURS} * interval '1 hour'
            and coalesce(r.promoted_at, r.listed_at) <= m.starts_at - d.days::int * interval '1 day'
          order by m.id, r.id`),
      );
      return rows.map((r) => ({
        meetingId: r.meeting_id,
        userId: r.user_id,
        registrationId: r.registration_id,
        language: r.language,
        days: Number(r.days),
      }));
    },

    accessRequestsOf: (registrationIds: number[]) =>
      registrationIds.length
        ? db
            .select({
              registrationId: meetingAccessRequests.registrationId,
              need: meetingAccessRequests.need,
              detail: meetingAccessRequests.detail,
              arrangedAt: meetingAccessRequests.arrangedAt,
            })
            .from(meetingAccessRequests)
            .where(inArray(meetingAccessRequests.registrationId, registrationIds))
            .orderBy(asc(meetingAccessRequests.id))
        : Promise.resolve([]),

    registrationOf: async (meetingId: number, userId: string) => {
      const [row] = await db
        .select({ status: meetingRegistrations.status })
        .from(meetingRegistrations)
        .where(and(eq(meetingRegistrations.meetingId, meetingId), eq(meetingRegistrations.userId, userId)));
      return row ?? null;
    },
  };
}
export type CalendarRepository = ReturnType<typeof createCalendarRepository>;

function feedEntry(r: FeedRow): FeedEntry {
  return {
    id: r.id!,
    groupId: r.group_id,
    title: r.title,
    agendaMarkdown: r.agenda_markdown,
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    mode: r.mode,
    venueName: r.venue_name,
    venueAddress: r.venue_address,
    venueAccess: r.venue_access ?? [],
    joinUrl: r.join_url,
    status: r.status,
    sequence: r.sequence,
    translations: r.translations ?? {},
    updatedAt: new Date(r.updated_at),
    placeStatus: r.place_status,
    language: r.language,
  };
}
