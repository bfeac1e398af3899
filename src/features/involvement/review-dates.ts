// Staff mean UK dates: a rate "in force today" or a record "not in the future" is judged by the
// date on London's calendar, summer or winter.
const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

// '2026-12-01'
export const londonToday = (now = new Date()) => londonDay.format(now);

// The same calendar date some years away ('2026-02-29' less 1 year is '2025-02-28').
export function yearsFrom(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${y + years}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// Whole days from one instant to another, for "waiting 3 days".
export const daysBetween = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
