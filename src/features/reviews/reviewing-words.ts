import { todayInLondon } from '#src/lib/date-field.ts';
import type { Translator } from '#src/lib/i18n.ts';

const D = 'reviewing.deadline';
const DAY = 86_400_000;
const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/London' });
const clock = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' });

// "5pm" or "5:30pm", London time, with the language's words for morning and afternoon.
export function clockWords(tr: Translator, d: Date): string {
  const parts = clock.formatToParts(d);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const minutes = part('minute') === '00' ? '' : `:${part('minute')}`;
  return `${part('hour')}${minutes}${tr.t(part('dayPeriod').toLowerCase() === 'pm' ? 'common.time.pm' : 'common.time.am')}`;
}

// "by 5pm on Friday 12 December 2026" (the weekday's words, with "on", are the catalogue's: Welsh
// mutates them), and how long is left in whole London days, or that the deadline has passed.
export function deadlineWords(tr: Translator, deadline: Date, now = new Date()) {
  const day = weekday.format(deadline).toLowerCase();
  const by = tr.t(`${D}.by`, { time: clockWords(tr, deadline), day: tr.t(`${D}.on.${day}`), date: tr.date(deadline) });
  const passed = deadline <= now;
  const days = Math.round((Date.parse(todayInLondon(deadline)) - Date.parse(todayInLondon(now))) / DAY);
  const left = passed ? tr.t(`${D}.passed`) : days <= 0 ? tr.t(`${D}.today`) : tr.t(`${D}.left`, { count: days });
  return { by, left, passed, days };
}
