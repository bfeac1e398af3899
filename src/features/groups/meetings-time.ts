import { msg } from '#src/lib/messages.ts';

// Meetings happen in the UK: staff type London wall-clock times, people read London times, and the
// database stores instants (UTC). These convert between the two across the clock changes: in March
// 01:00–02:00 does not exist (the form says so), and in October 01:00–02:00 happens twice (we take
// the first, still on summer time, as a calendar application would).

export type LondonWallTime = { date: string; time: string };

// The London date ("2026-03-29") and time ("09:30") at an instant.
export function utcToLondon(at: Date): LondonWallTime {
  // Swedish writes dates and times as ISO does: "2026-07-15 10:00:00".
  const text = at.toLocaleString('sv-SE', { timeZone: 'Europe/London', hourCycle: 'h23' });
  return { date: text.slice(0, 10), time: text.slice(11, 16) };
}

// The instant when London's clocks show this date and time, or null when they never do (the hour
// skipped in March). London is UTC or UTC+1, so the answer is one of two instants.
export function londonToUtc(isoDate: string, time: string): Date | null {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  for (const offsetHours of [1, 0]) {
    const at = new Date(wall - offsetHours * 3_600_000);
    const back = utcToLondon(at);
    if (back.date === isoDate && back.time === time) return at;
  }
  return null;
}

const asText = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

// A time typed as "14:30", "2.30pm", "2pm" or "9am", as "HH:MM" (24-hour), or null.
export function readClockTime(raw: unknown): string | null {
  const text = asText(raw).toLowerCase().replace(/\s+/g, '');
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(text);
  if (!m) return null;
  let hours = Number(m[1]);
  const minutes = Number(m[2] ?? 0);
  if (m[3] && (hours < 1 || hours > 12)) return null;
  if (m[3] === 'pm' && hours < 12) hours += 12;
  if (m[3] === 'am' && hours === 12) hours = 0;
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

// The NHS date input's three boxes (`<name>-day`, `-month`, `-year`): null when all are empty, an
// ISO date, or a message key under `meetings.admin.validation.date`.
export function readDateBoxes(
  body: Record<string, unknown>,
  name: string,
): { ok: true; date: string | null } | { ok: false; message: string } {
  const [day, month, year] = ['day', 'month', 'year'].map((p) => asText(body[`${name}-${p}`]));
  if (!day && !month && !year) return { ok: true, date: null };
  const fail = (kind: string) => ({ ok: false as const, message: msg(`meetings.admin.validation.date.${kind}`) });
  if (!day || !month || !year) return fail('incomplete');
  if (![day, month, year].every((p) => /^\d{1,4}$/.test(p)) || year.length !== 4) return fail('real');
  const [d, mo, y] = [Number(day), Number(month), Number(year)];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || y < 2000 || y > 2100)
    return fail('real');
  return { ok: true, date: check.toISOString().slice(0, 10) };
}

// The three boxes' values for a stored date, to fill the form in.
export function dateBoxes(name: string, iso: string | null): Record<string, string> {
  if (!iso) return {};
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! };
}

// Minutes between two instants (a meeting's length, the default hours of attendance).
export const minutesBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 60_000);
