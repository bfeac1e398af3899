import type { FeatureArea } from '#src/platform/feature.ts';
import { createRepeatingJob } from '#src/platform/jobs/repeating.ts';
import calendarRoutes from './calendar-routes.ts';
import { createCalendarService } from './calendar-service.ts';
import { createMeetingRemindersService } from './calendar-reminders.ts';

// Reminders are looked for every five minutes: each is due within a 12-hour window and keyed in
// the mail log, so a missed round, a restart or a second instance sends nothing twice.
const reminderJob = createRepeatingJob({
  everyMs: 5 * 60_000,
  work: ({ services }) => services.meetingReminders.sendDue(new Date()),
  failure: 'meeting reminders failed',
});

// Calendar files, subscription feeds and reminders (README "Calendars and reminders"). The feed's
// row goes with the account (calendar_feeds cascades).
export const calendarArea: FeatureArea = {
  services: (ctx) => ({ calendar: createCalendarService(ctx), meetingReminders: createMeetingRemindersService(ctx) }),
  routes: calendarRoutes,
  jobs: reminderJob,
  auditActions: {
    'calendar.feed-created': 'A contributor made their private calendar address',
    'calendar.feed-renewed': 'A contributor made a new private calendar address (the old one stopped working)',
  },
  personalData: {
    export: async ({ services }, userId) => ({ calendarFeed: await services.calendar.exportFor(userId) }),
    sections: [{ template: 'groups/views/calendar/_my-data.njk', order: 72 }],
  },
};
