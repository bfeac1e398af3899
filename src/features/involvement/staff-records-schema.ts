import { z } from 'zod';
import { emailField, hasControlCharacters, optionalText } from '#src/lib/fields.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { readDay } from '#src/features/opportunities/dates.ts';
import { londonToday } from './review-dates.ts';

const V = 'involvementStaff.admin.validation';

// The roles a person can have in a piece of involvement (the same as at a meeting, so the person's
// own page names them alike).
export const recordRoles = ['member', 'co-chair', 'chair', 'observer', 'guest', 'speaker'] as const;
// The activity kind's value for involvement that is not paid.
export const UNPAID = 'unpaid';

export const recordFieldOrder = ['email', 'title', 'activityKind', 'occurredOn', 'hours', 'units', 'role', 'difference', 'leadUserId'];

const differenceField = optionalText(msg(`${V}.difference.name`), 2000);

const RecordSchema = z.object({
  email: emailField,
  title: z
    .string({ error: msg(`${V}.title.missing`) })
    .min(1, msg(`${V}.title.missing`))
    .max(200, msg(`${V}.title.tooLong`))
    .refine((v) => !hasControlCharacters(v), msg(`${V}.title.characters`)),
  activityKind: z.string({ error: msg(`${V}.activityKind.missing`) }).min(1, msg(`${V}.activityKind.missing`)),
  role: z.enum(recordRoles, { error: msg(`${V}.role.missing`) }),
  difference: differenceField,
  leadUserId: z.string({ error: msg(`${V}.leadUserId.missing`) }).min(1, msg(`${V}.leadUserId.missing`)),
});

export const DifferenceSchema = z.object({ difference: differenceField });

export type RecordFields = z.infer<typeof RecordSchema> & {
  occurredOn: string;
  minutes: number;
  units: number;
};

// "2", "1.5", "1:30": hours as minutes (at most a day), or null.
export function readHours(raw: string): number | null {
  const colon = /^(\d{1,2}):([0-5]\d)$/.exec(raw);
  const decimal = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(raw);
  let minutes: number | null = null;
  if (colon) minutes = Number(colon[1]) * 60 + Number(colon[2]);
  else if (decimal) minutes = Number(decimal[1]) * 60 + Math.round((Number((decimal[2] ?? '0').padEnd(2, '0')) * 60) / 100);
  return minutes !== null && minutes >= 1 && minutes <= 24 * 60 ? minutes : null;
}

// The form as fields: hours are required for a kind paid by the hour, units (whole numbers, one by
// default) for a kind paid by the half day, day or task; the date is never in the future.
export function readRecordForm(body: Record<string, unknown>, hourly: boolean, now = new Date()): Result<RecordFields> {
  const v = validateForm(RecordSchema, body);
  const errors: FieldErrors = v.ok ? {} : { ...v.errors };
  const day = readDay(body, 'occurredOn', `${V}.occurredOn`);
  if (!day.ok) errors.occurredOn = day.message;
  else if (!day.date) errors.occurredOn = msg(`${V}.occurredOn.missing`);
  else if (day.date > londonToday(now)) errors.occurredOn = msg(`${V}.occurredOn.future`);
  const text = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
  const hoursText = text('hours');
  const minutes = hoursText ? readHours(hoursText) : 0;
  if (minutes === null) errors.hours = msg(`${V}.hours.format`);
  else if (hourly && minutes === 0) errors.hours = msg(`${V}.hours.missing`);
  const unitsText = text('units') || '1';
  const units = /^\d{1,3}$/.test(unitsText) ? Number(unitsText) : 0;
  if (units < 1 || units > 100) errors.units = msg(`${V}.units.format`);
  if (!v.ok || Object.keys(errors).length || !day.ok || !day.date) return invalid(errors);
  return ok({ ...v.value, occurredOn: day.date, minutes: minutes ?? 0, units });
}
