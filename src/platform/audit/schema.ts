import { z } from 'zod';
import { lenient } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';

const m = (key: string) => msg(`audit.admin.filter.${key}`);

// An account id from a link ("everything this person did"); anything else is dropped.
const accountId = lenient((v) => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v.trim()) ? v.trim() : undefined));
const text = (max: number) => lenient((v) => (typeof v === 'string' ? v.trim().slice(0, max) : ''));

export type CalendarDay = { year: number; month: number; day: number };

// What a date box sends: 2026-03-27 from a browser's date picker, or 27/3/2026 typed where the
// browser shows a plain text box. Anything else, or a day that does not exist, is null.
export function parseDay(raw: string): CalendarDay | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(raw);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : [];
  if (!year || !month || !day) return null;
  const d = { year: Number(year), month: Number(month), day: Number(day) };
  const check = new Date(Date.UTC(d.year, d.month - 1, d.day));
  if (check.getUTCFullYear() !== d.year || check.getUTCMonth() !== d.month - 1 || check.getUTCDate() !== d.day) return null;
  if (d.year < 2000 || d.year > 2100) return null;
  return d;
}

const londonHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', hourCycle: 'h23' });

// Midnight at the start of a day in the UK, which is what staff mean by "from 27 March" (the
// clocks change at 1am UTC, so midnight's offset is the one of the whole day's start).
export function londonMidnight(d: CalendarDay): Date {
  const utcMidnight = Date.UTC(d.year, d.month - 1, d.day);
  const offsetHours = Number(londonHour.format(new Date(utcMidnight))) % 24;
  return new Date(utcMidnight - offsetHours * 3_600_000);
}

const dayField = (invalid: string) =>
  text(20).transform((raw, ctx) => {
    if (!raw) return undefined;
    const day = parseDay(raw);
    if (!day) {
      ctx.addIssue({ code: 'custom', message: m(invalid) });
      return z.NEVER;
    }
    return { raw, day };
  });

// The audit log's filters, from the query string (the page) or the export form. Dates a person
// got wrong are errors shown in the error summary; any other nonsense is ignored.
export const auditFilterSchema = (actions: readonly string[]) =>
  z
    .object({
      person: text(200),
      action: lenient((v) => (typeof v === 'string' && actions.includes(v) ? v : undefined)),
      from: dayField('from.invalid'),
      to: dayField('to.invalid'),
      actor: accountId,
      subject: accountId,
      page: lenient((v) => {
        const n = Number(v);
        return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
      }),
    })
    .superRefine((f, ctx) => {
      if (f.from && f.to && londonMidnight(f.to.day) < londonMidnight(f.from.day)) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: m('to.beforeFrom') });
      }
    });

export type AuditFilterForm = z.infer<ReturnType<typeof auditFilterSchema>>;
export const filterFieldOrder = ['person', 'action', 'from', 'to'];
