import { msg } from '#src/lib/messages.ts';

// Dates typed into the NHS date input's three boxes (`<name>-day`, `-month`, `-year`). Staff mean
// UK time: a closing time of 17:00 is 17:00 in London, summer or winter.

const asText = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

// An optional date: null when all three boxes are empty, else an ISO date or a message
// (`<messages>.incomplete` or `.real`).
export function readDay(body: Record<string, unknown>, name: string, messages = 'opportunities.admin.validation.date') {
  const [day, month, year] = ['day', 'month', 'year'].map((p) => asText(body[`${name}-${p}`]));
  if (!day && !month && !year) return { ok: true as const, date: null };
  if (!day || !month || !year) return { ok: false as const, message: msg(`${messages}.incomplete`) };
  if (![day, month, year].every((p) => /^\d{1,4}$/.test(p)) || year.length !== 4)
    return { ok: false as const, message: msg(`${messages}.real`) };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d || y < 2000 || y > 2100) {
    return { ok: false as const, message: msg(`${messages}.real`) };
  }
  return { ok: true as const, date: check.toISOString().slice(0, 10) };
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// London's wall-clock time at an instant, as if it were UTC (the difference is the offset).
function londonWallClock(at: Date): number {
  const p = Object.fromEntries(londonParts.formatToParts(at).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
}

// The instant when London's clocks show this date and time.
export function londonTime(isoDate: string, hours: number, minutes: number): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hours, minutes);
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (londonWallClock(new Date(guess)) - guess);
  return new Date(guess);
}

// The date boxes and `<name>-time` ("17:00", "5pm"; empty means 23:59) as one instant.
export function readClosingTime(body: Record<string, unknown>, name: string, messages: string) {
  const day = readDay(body, name, messages);
  if (!day.ok) return day;
  if (!day.date) return { ok: false as const, message: msg(`${messages}.missing`) };
  const raw = asText(body[`${name}-time`]).toLowerCase().replace(/\s+/g, '');
  let hours = 23;
  let minutes = 59;
  if (raw) {
    const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(raw);
    if (!m) return { ok: false as const, message: msg(`${messages}.time`) };
    hours = Number(m[1]);
    minutes = Number(m[2] ?? 0);
    if (m[3] && (hours < 1 || hours > 12)) return { ok: false as const, message: msg(`${messages}.time`) };
    if (m[3] === 'pm' && hours < 12) hours += 12;
    if (m[3] === 'am' && hours === 12) hours = 0;
    if (hours > 23 || minutes > 59) return { ok: false as const, message: msg(`${messages}.time`) };
  }
  return { ok: true as const, at: londonTime(day.date, hours, minutes) };
}

// The three boxes and the time for a stored instant, to fill the form in.
export function closingParts(name: string, at: Date | null): Record<string, string> {
  if (!at) return {};
  const wall = new Date(londonWallClock(at));
  return {
    [`${name}-day`]: String(wall.getUTCDate()),
    [`${name}-month`]: String(wall.getUTCMonth() + 1),
    [`${name}-year`]: String(wall.getUTCFullYear()),
    [`${name}-time`]: `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`,
  };
}

export const dayParts = (name: string, iso: string | null): Record<string, string> => {
  if (!iso) return {};
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! };
};
