import { msg } from './messages.ts';

// A date in the past typed into the NHS date input's three boxes (`<name>-day`, `-month`, `-year`),
// read as one field: "2026-11-30", or one message naming what to fix: the form's catalogue has
// `<messages>.missing`, `.incomplete`, `.real` and `.future`.

const asText = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

// The calendar date in the UK, which is what staff mean by "today".
const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
export const todayInLondon = (now = new Date()) => londonDay.format(now);

export function readPastDate(body: Record<string, unknown>, name: string, messages: string, now = new Date()) {
  const fail = (kind: string) => ({ ok: false as const, message: msg(`${messages}.${kind}`) });
  const [day, month, year] = ['day', 'month', 'year'].map((p) => asText(body[`${name}-${p}`]));
  if (!day && !month && !year) return fail('missing');
  if (!day || !month || !year) return fail('incomplete');
  if (![day, month, year].every((p) => /^\d{1,4}$/.test(p)) || year.length !== 4) return fail('real');
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d || y < 1900) return fail('real');
  const iso = check.toISOString().slice(0, 10);
  if (iso > todayInLondon(now)) return fail('future');
  return { ok: true as const, date: iso };
}

// The three boxes' values for a date already stored, to fill the form in.
export const dateParts = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year };
};
