import { z } from 'zod';
import { hasControlCharacters, optionalText } from '#src/lib/fields.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { readDay } from '#src/features/opportunities/dates.ts';
import { parsePounds } from './money.ts';
import { londonToday, yearsFrom } from './review-dates.ts';
import { rateUnits, type RateUnit } from './tables.ts';

const V = 'rates.admin.validation';

// The most one unit of anything may pay (an hour, a day, a mile): more is a typing mistake.
export const MAX_RATE_PENCE = 100_000;
// How far back a new rate may start (to record last year's card), and how far ahead.
export const RATE_YEARS_BACK = 5;
export const RATE_YEARS_AHEAD = 5;

export const rateFieldOrder = ['kind', 'name', 'unit', 'amount', 'effectiveFrom', 'note'];

const RateSchema = z.object({
  kind: z
    .string({ error: msg(`${V}.kind.missing`) })
    .transform((v) => v.toLowerCase())
    .refine((v) => v.length > 0, msg(`${V}.kind.missing`))
    .refine((v) => v.length <= 40 && /^[a-z]+(?:-[a-z]+)*$/.test(v), msg(`${V}.kind.format`)),
  name: z
    .string({ error: msg(`${V}.name.missing`) })
    .min(1, msg(`${V}.name.missing`))
    .max(120, msg(`${V}.name.tooLong`))
    .refine((v) => !hasControlCharacters(v), msg(`${V}.name.characters`)),
  unit: z.enum(rateUnits, { error: msg(`${V}.unit.missing`) }),
  amount: z.string({ error: msg(`${V}.amount.missing`) }).min(1, msg(`${V}.amount.missing`)),
  note: optionalText(msg('rates.admin.validation.note.name'), 500),
});

export type RateFields = { kind: string; name: string; unit: RateUnit; amountPence: number; effectiveFrom: string; note: string | null };

// The amount: pounds and pence, more than nothing, at most £1,000 for one unit.
function readAmount(raw: string): { pence: number } | { message: string } {
  if (raw.startsWith('-')) return { message: msg(`${V}.amount.negative`) };
  const pence = parsePounds(raw);
  if (pence === null) return { message: msg(/^£?[\d,]+(\.\d+)?$/.test(raw) ? `${V}.amount.tooMuch` : `${V}.amount.format`) };
  if (pence === 0) return { message: msg(`${V}.amount.zero`) };
  if (pence > MAX_RATE_PENCE) return { message: msg(`${V}.amount.tooMuch`) };
  return { pence };
}

// A new row of the rate card, read from the form (the date in three boxes, `effectiveFrom-day` …).
export function readRateForm(body: Record<string, unknown>, now = new Date()): Result<RateFields> {
  const v = validateForm(RateSchema, body);
  const errors: FieldErrors = v.ok ? {} : { ...v.errors };
  const amount = v.ok ? readAmount(v.value.amount) : null;
  if (amount && 'message' in amount) errors.amount = amount.message;
  const day = readDay(body, 'effectiveFrom', `${V}.effectiveFrom`);
  const today = londonToday(now);
  if (!day.ok) errors.effectiveFrom = day.message;
  else if (!day.date) errors.effectiveFrom = msg(`${V}.effectiveFrom.missing`);
  else if (day.date < yearsFrom(today, -RATE_YEARS_BACK))
    errors.effectiveFrom = msg(`${V}.effectiveFrom.tooOld`, { years: RATE_YEARS_BACK });
  else if (day.date > yearsFrom(today, RATE_YEARS_AHEAD))
    errors.effectiveFrom = msg(`${V}.effectiveFrom.tooFar`, { years: RATE_YEARS_AHEAD });
  if (v.ok && v.value.kind === 'mileage' && v.value.unit !== 'mile') errors.unit = msg(`${V}.unit.mileage`);
  if (v.ok && v.value.kind !== 'mileage' && v.value.unit === 'mile') errors.unit = msg(`${V}.unit.mileOnlyForMileage`);
  if (!v.ok || Object.keys(errors).length || !amount || !('pence' in amount) || !day.ok || !day.date) return invalid(errors);
  const { kind, name, unit, note } = v.value;
  return ok({ kind, name, unit, amountPence: amount.pence, effectiveFrom: day.date, note });
}
