import type { FeatureContext } from '#src/platform/feature.ts';
import type { EmailContent } from '#src/platform/mail/service.ts';
import { languages, type Translator } from '#src/lib/i18n.ts';
import { localised } from '#src/lib/localised.ts';
import { meetingPageUrl, venueLine } from './calendar-events.ts';
import { createCalendarRepository, type CalendarMeeting, type DueReminder } from './calendar-repository.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    meetingReminders: MeetingRemindersService;
  }
}

const R = 'calendar.reminder';
export const REMINDER_KIND = 'meeting-reminder';

// One key per person, meeting and mark: the mail log accepts it once, so a second instance, a
// retry or a run that overlaps the last never sends the same reminder twice (ADR 7, ADR 21).
export const reminderKey = (r: Pick<DueReminder, 'meetingId' | 'userId' | 'days'>) =>
  `meeting-reminder:${r.meetingId}:${r.userId}:${r.days}`;

type AccessRequest = { need: string; detail: string | null; arrangedAt: Date | null };

// "Tuesday 3 March 2026" and "6:30pm", in London time, in the reader's language.
function londonWords(tr: Translator) {
  const intl = languages.find((l) => l.code === tr.lang)!.intl;
  const day = new Intl.DateTimeFormat(intl, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  const clock = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' });
  const time = (d: Date) => {
    const parts = clock.formatToParts(d);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('hour')}:${part('minute')}${tr.t(part('dayPeriod').toLowerCase() === 'pm' ? 'common.time.pm' : 'common.time.am')}`;
  };
  return { day: (d: Date) => day.format(d), time };
}

function subjectKey(days: number) {
  if (days === 7) return `${R}.subjectWeek`;
  if (days === 1) return `${R}.subjectDay`;
  return `${R}.subjectDays`;
}

// Where and how: the venue and its access features, or the joining link for an online meeting.
function placeParagraphs(meeting: CalendarMeeting, tr: Translator): string[] {
  const out: string[] = [];
  const venue = venueLine(meeting);
  if (meeting.mode !== 'online' && venue) {
    out.push(tr.t(`${R}.where`, { venue }));
    const features = meeting.venueAccess.filter((f) => tr.has(`calendar.venueAccess.${f}`)).map((f) => tr.t(`calendar.venueAccess.${f}`));
    if (features.length) out.push(tr.t(`${R}.venueAccess`, { features: features.join(', ') }));
  }
  if (meeting.mode !== 'in-person') out.push(meeting.joinUrl ? tr.t(`${R}.online`, { url: meeting.joinUrl }) : tr.t(`${R}.onlineLater`));
  return out;
}

// What they asked for, each with whether it is arranged (words: meetings.needs.<need>).
function needsParagraph(requests: AccessRequest[], tr: Translator): string {
  if (!requests.length) return tr.t(`${R}.nothingAsked`);
  const needs = requests.map((r) => {
    const name = tr.has(`meetings.needs.${r.need}`) ? tr.t(`meetings.needs.${r.need}`) : r.need;
    const what = r.detail ? `${name} (${r.detail})` : name;
    return `${what}: ${tr.t(r.arrangedAt ? `${R}.arranged` : `${R}.notArranged`)}`;
  });
  return tr.t(`${R}.asked`, { needs: needs.join('; ') });
}

export function createMeetingRemindersService(ctx: FeatureContext) {
  const { db, config, services } = ctx;
  const repo = createCalendarRepository(db);

  async function reminderEmail(
    due: DueReminder,
    meeting: CalendarMeeting,
    person: { name: string; email: string },
    requests: AccessRequest[],
  ): Promise<EmailContent> {
    const tr = ctx.i18n.translator(due.language);
    const org = (await services.settings.get()).name;
    const m = localised(meeting, ['title'] as const, tr.lang);
    const words = londonWords(tr);
    const calendar = await services.calendar.meetingInvitation(meeting, {
      method: 'REQUEST',
      recipient: { ...person, lang: tr.lang },
      includeJoinUrl: true,
    });
    return {
      to: person.email,
      lang: tr.lang,
      subject: tr.t(subjectKey(due.days), { title: m.title, days: due.days }),
      heading: tr.t(`${R}.heading`),
      paragraphs: [
        tr.t(`${R}.dear`, { name: person.name }),
        tr.t(`${R}.intro`, { title: m.title }),
        tr.t(`${R}.when`, { date: words.day(meeting.startsAt), start: words.time(meeting.startsAt), end: words.time(meeting.endsAt) }),
        ...placeParagraphs(meeting, tr),
        needsParagraph(requests, tr),
        tr.t(`${R}.cantCome`),
        tr.t(`${R}.calendar`),
      ],
      action: { text: tr.t(`${R}.action`), href: meetingPageUrl(meeting.id, config.baseUrl, tr.lang) },
      footer: [tr.t(`${R}.footer`, { org })],
      calendar,
    };
  }

  return {
    // Every reminder due at `now` not yet accepted by the mail log, each enqueued under its own
    // key. Run by the repeating job every few minutes; tests call it with the time they need.
    async sendDue(now = new Date()): Promise<{ due: number; sent: number }> {
      const due = await repo.dueReminders(now);
      const done = await services.mail.acceptedKeys(due.map(reminderKey));
      const todo = due.filter((d) => !done.has(reminderKey(d)));
      if (!todo.length) return { due: due.length, sent: 0 };
      const requests = await repo.accessRequestsOf(todo.map((d) => d.registrationId));
      const meetingsById = new Map<number, CalendarMeeting | null>();
      let sent = 0;
      for (const d of todo) {
        if (!meetingsById.has(d.meetingId)) meetingsById.set(d.meetingId, await repo.meeting(d.meetingId));
        const meeting = meetingsById.get(d.meetingId);
        const person = await services.identity.findAccountById(d.userId);
        if (!meeting || !person) continue;
        const own = requests.filter((r) => r.registrationId === d.registrationId);
        await services.mail.enqueue(await reminderEmail(d, meeting, person, own), { key: reminderKey(d), kind: REMINDER_KIND });
        sent++;
      }
      return { due: due.length, sent };
    },
  };
}
export type MeetingRemindersService = ReturnType<typeof createMeetingRemindersService>;
