import { randomBytes } from 'node:crypto';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { senderFor } from '#src/platform/mail/sender.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { writeCalendar, type IcsMethod, type IcsPerson } from './calendar-ics.ts';
import { meetingEvent } from './calendar-events.ts';
import { createCalendarRepository, type CalendarMeeting } from './calendar-repository.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    calendar: CalendarService;
  }
}

// What an email carries to be sent as its text/calendar part (mail_messages.calendar).
export type CalendarPart = { method: IcsMethod; fileName: string; content: string };

// A personal feed shows places from this long ago, so last month's meetings stay in the calendar.
const FEED_PAST_DAYS = 30;
const DAY_MS = 24 * 3600_000;
// Asked of programs that honour it, so a change reaches a subscribed calendar within hours.
const FEED_REFRESH_HOURS = 1;

// The calendar area (README "Calendars and reminders"): a meeting's .ics file, the public feed of
// open events, each contributor's secret feed address, and the invitation attached to emails.
export function createCalendarService(ctx: FeatureContext) {
  const { db, config, services } = ctx;
  const repo = createCalendarRepository(db);
  const base = config.baseUrl;

  async function organizer(): Promise<IcsPerson> {
    const { name } = await services.settings.get();
    return { name, email: senderFor(config.mailFrom, name).address };
  }

  const service = {
    // A meeting's file for whoever may see the meeting's page (null: answer 404). Never the
    // joining link: the file may be passed on.
    async meetingFile(meetingId: number, user: CurrentUser | null, lang: Lang): Promise<string | null> {
      // Whoever may see the meeting's page (the meetings area's rule, with open registration).
      const page = await ctx.services.meetings.byId(meetingId);
      if (!page || !(await ctx.services.meetings.mayView(user, page))) return null;
      const meeting = await repo.meeting(meetingId);
      if (!meeting) return null;
      const tr = ctx.i18n.translator(lang);
      const event = meetingEvent(meeting, { baseUrl: base, tr, includeJoinUrl: false, organizer: await organizer() });
      return writeCalendar({ method: 'PUBLISH', events: [event] });
    },

    // Open events still to finish (and lately cancelled ones, marked so), for anyone to subscribe to.
    async publicFeed(lang: Lang, now = new Date()): Promise<string> {
      const tr = ctx.i18n.translator(lang);
      const org = await organizer();
      const events = (await repo.openEvents(new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS))).map((m) =>
        meetingEvent(m, { baseUrl: base, tr, includeJoinUrl: false, organizer: org }),
      );
      return writeCalendar({
        method: 'PUBLISH',
        name: tr.t('calendar.feeds.publicName', { org: org.name }),
        refreshHours: FEED_REFRESH_HOURS,
        events,
      });
    },

    // A contributor's own feed (null for an unknown or replaced token). Their places from 30 days
    // ago on, each in the language they registered in; a waiting-list place is tentative, a
    // cancelled place or meeting is sent as cancelled so calendar programs take it away.
    async personalFeed(token: string, now = new Date()): Promise<string | null> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
      const feed = await repo.feedByToken(token, new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS));
      if (!feed) return null;
      const org = await organizer();
      const events = feed.entries.map((e) => {
        const tr = ctx.i18n.translator(e.language);
        const status = e.placeStatus === 'cancelled' ? 'CANCELLED' : e.placeStatus === 'waitlisted' ? 'TENTATIVE' : 'CONFIRMED';
        return meetingEvent(e, { baseUrl: base, tr, includeJoinUrl: e.placeStatus === 'registered', status, organizer: org });
      });
      // The calendar's own name in the language of their latest place (English when they have none).
      const named = ctx.i18n.translator(feed.entries.at(-1)?.language);
      const name = named.t('calendar.feeds.personalName', { org: org.name });
      return writeCalendar({ method: 'PUBLISH', name, refreshHours: FEED_REFRESH_HOURS, events });
    },

    feedOf: (userId: string) => repo.feedOf(userId),

    feedUrl: (token: string) => `${base}/calendar/${token}.ics`,

    // A new secret address (32 random bytes); the old one stops working at once.
    async newFeed(user: CurrentUser): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const had = await repo.feedOf(user.id);
      await db.transaction(async (tx) => {
        await repo.replaceFeed(user.id, token, tx);
        await services.audit.record(
          { actorUserId: user.id, subjectUserId: user.id, action: had ? 'calendar.feed-renewed' : 'calendar.feed-created' },
          tx,
        );
      });
      return token;
    },

    // The invitation the meetings area attaches to a confirmation, change or cancellation email:
    // REQUEST for a place (new or changed), CANCEL when the meeting or the place is cancelled.
    async meetingInvitation(
      meeting: CalendarMeeting,
      o: { method: 'REQUEST' | 'CANCEL'; recipient: IcsPerson & { lang?: string | null }; includeJoinUrl: boolean; now?: Date },
    ): Promise<CalendarPart> {
      const tr = ctx.i18n.translator(o.recipient.lang);
      const cancel = o.method === 'CANCEL';
      const event = meetingEvent(meeting, {
        baseUrl: base,
        tr,
        stamp: o.now ?? new Date(),
        includeJoinUrl: o.includeJoinUrl && !cancel,
        status: cancel ? 'CANCELLED' : 'CONFIRMED',
        organizer: await organizer(),
        attendee: { name: o.recipient.name, email: o.recipient.email, partstat: cancel ? 'NEEDS-ACTION' : 'ACCEPTED' },
      });
      return {
        method: o.method,
        fileName: cancel ? 'cancelled.ics' : 'invite.ics',
        content: writeCalendar({ method: o.method, events: [event] }),
      };
    },

    // "Download my data": whether they have a feed address and since when, never the token itself
    // (the file may be kept or shared; the address is shown on their calendar page).
    async exportFor(userId: string) {
      const feed = await repo.feedOf(userId);
      return { hasFeed: feed !== null, feedMadeAt: feed?.createdAt ?? null };
    },
  };
  return service;
}
export type CalendarService = ReturnType<typeof createCalendarService>;
