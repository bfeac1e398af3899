import type { Translator } from '#src/lib/i18n.ts';
import type { MeetingRow } from './meetings-repository.ts';
import { utcToLondon } from './meetings-time.ts';

const P = 'meetings.page';

// A London time as people say it: "10am", "2:30pm".
function clock(tr: Translator, at: Date): string {
  const [h, m] = utcToLondon(at).time.split(':').map(Number) as [number, number];
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${tr.t(h < 12 ? 'common.time.am' : 'common.time.pm')}`;
}

// A meeting as the pages show it, in the page's language and London time. Staff write meetings in
// English only, so their words are marked lang="en" on Welsh pages (`contentLang`).
export function presentMeeting(m: MeetingRow, tr: Translator, registered?: number) {
  const sameDay = utcToLondon(m.startsAt).date === utcToLondon(m.endsAt).date;
  const when = sameDay
    ? tr.t(`${P}.when`, { date: tr.date(m.startsAt), start: clock(tr, m.startsAt), end: clock(tr, m.endsAt) })
    : tr.t(`${P}.whenSpan`, { start: tr.dateTime(m.startsAt), end: tr.dateTime(m.endsAt) });
  const placesLeft = m.capacity === null || registered === undefined ? null : Math.max(0, m.capacity - registered);
  return {
    ...m,
    contentLang: 'en',
    when,
    modeText: tr.t(`meetings.options.mode.${m.mode}`),
    venueAccessTexts: m.venueAccess.map((v) => tr.t(`meetings.options.venueAccess.${v}`)),
    placesLeft,
    full: placesLeft === 0,
    cancelled: m.status === 'cancelled',
  };
}
export type PresentedMeeting = ReturnType<typeof presentMeeting>;
