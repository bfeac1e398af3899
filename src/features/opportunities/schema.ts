import { z } from 'zod';
import { emailField, hasControlCharacters, optionalText } from '#src/lib/fields.ts';
import { lenient } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { regionOptions } from '#src/features/profile/schema.ts';
import { expenseKinds, feeUnits, opportunityModes, opportunityStatuses, opportunityTypes, supportKinds } from './tables.ts';
import { readDay, readClosingTime } from './dates.ts';

const V = 'opportunities.admin.validation';
const L = 'opportunities.admin.form';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// The form's fields in page order, for the error summary.
export const formFieldOrder = [
  'type',
  'title',
  'summary',
  'slug',
  'role',
  'involved',
  'timeCommitment',
  'startsOn',
  'endsOn',
  'meetingDates',
  'mode',
  'venueAddress',
  'venueAccessibility',
  'region',
  'paid',
  'fee',
  'feeUnit',
  'expensesCovered',
  'paymentNotes',
  'support',
  'supportNotes',
  'soughtTermIds',
  'lookingFor',
  'welcomeFrom',
  'places',
  'closesAt',
  'howToApply',
  'contactName',
  'contactEmail',
  'accessibleFormats',
];

const text = (field: string, max: number, required: boolean) => {
  const base = z
    .string({ error: msg(`${V}.${field}`) })
    .max(max, msg('fields.text.tooLong', { label: msg(`${L}.${field}.label`), max }))
    .refine((v) => !hasControlCharacters(v), msg('fields.text.controlCharacters', { label: msg(`${L}.${field}.label`) }))
    .transform((v) => v.replace(/\r\n?/g, '\n'));
  return required ? base.refine((v) => v.length > 0, msg(`${V}.${field}`)) : base.optional().transform((v) => v ?? '');
};
const optional = (field: string, max: number) => optionalText(msg(`${L}.${field}.label`), max);

// Checkboxes arrive as one string, several, or nothing.
const many = <T extends string>(values: readonly T[], message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]], { error: message })))
    .transform((v) => [...new Set(v)]);

// Everything on the staff form that Zod reads by itself; dates, money and the cross-field rules are
// read in readOpportunityForm below.
const FieldsSchema = z.object({
  type: z.enum(opportunityTypes, { error: msg(`${V}.type`) }),
  title: text('title', 150, true),
  summary: text('summary', 400, true),
  slug: z
    .string()
    .optional()
    .transform((v) => (v ?? '').toLowerCase())
    .refine((v) => !v || (SLUG_PATTERN.test(v) && v.length <= 80), msg(`${V}.slug`)),
  role: text('role', 20_000, true),
  involved: text('involved', 20_000, true),
  timeCommitment: text('timeCommitment', 200, true),
  mode: z.enum(opportunityModes, { error: msg(`${V}.mode`) }),
  venueAddress: optional('venueAddress', 500),
  venueAccessibility: optional('venueAccessibility', 2_000),
  region: z
    .string()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || (regionOptions as readonly string[]).includes(v), msg(`${V}.region`)),
  paid: z.enum(['yes', 'no'], { error: msg(`${V}.paid`) }),
  fee: z.string().optional(),
  feeUnit: z
    .string()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || (feeUnits as readonly string[]).includes(v), msg(`${V}.feeUnit`)),
  expensesCovered: many(expenseKinds, msg(`${V}.fromList`)),
  paymentNotes: optional('paymentNotes', 1_000),
  support: many(supportKinds, msg(`${V}.fromList`)),
  supportNotes: optional('supportNotes', 1_000),
  soughtTermIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]))
    .refine((v) => v.every((id) => /^[1-9]\d{0,8}$/.test(id)), msg(`${V}.fromList`))
    .transform((v) => [...new Set(v.map(Number))]),
  lookingFor: text('lookingFor', 10_000, false),
  welcomeFrom: optional('welcomeFrom', 500),
  places: z
    .string({ error: msg(`${V}.places`) })
    .regex(/^\d{1,4}$/, msg(`${V}.places`))
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, msg(`${V}.places`)),
  howToApply: optional('howToApply', 2_000),
  contactName: text('contactName', 120, true).refine(
    (v) => !/[<>]/.test(v),
    msg('fields.name.characters', { label: msg(`${L}.contactName.label`) }),
  ),
  contactEmail: emailField,
  accessibleFormats: optional('accessibleFormats', 1_000),
  blindScoring: z
    .string()
    .optional()
    .transform((v) => v === 'yes'),
  title_cy: optional('title', 150),
  summary_cy: optional('summary', 400),
  role_cy: optional('role', 20_000),
  involved_cy: optional('involved', 20_000),
});

export type OpportunityFields = z.infer<typeof FieldsSchema> & {
  feePence: number | null;
  startsOn: string | null;
  endsOn: string | null;
  meetingDates: string[];
  closesAt: Date;
};

// Money typed as pounds ("25", "25.50", "£25"): pence, or null when it is not a sum of money.
export function readPounds(raw: unknown): number | null | 'negative' {
  const v = typeof raw === 'string' ? raw.trim().replace(/^£/, '').replace(/,/g, '') : '';
  if (/^-/.test(v)) return 'negative';
  if (!/^\d{1,6}(\.\d{1,2})?$/.test(v)) return null;
  return Math.round(Number(v) * 100);
}

// Meeting dates, one a line ("14/1/2027" or "2027-01-14"): ISO dates in order, or the first bad line.
export function readMeetingDates(raw: unknown): { ok: true; dates: string[] } | { ok: false } {
  const lines = (typeof raw === 'string' ? raw : '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const dates: string[] = [];
  for (const line of lines) {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(line) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(line);
    if (!m) return { ok: false };
    const [a, b, c] = [m[1]!, m[2]!, m[3]!];
    const day = readDay({ 'd-day': line.includes('/') ? a : c, 'd-month': b, 'd-year': line.includes('/') ? c : a }, 'd');
    if (!day.ok || !day.date) return { ok: false };
    dates.push(day.date);
  }
  if (dates.length > 50) return { ok: false };
  return { ok: true, dates: [...new Set(dates)].sort() };
}

// The whole staff form: Zod's checks, then the dates, the fee and the rules between fields
// (end before start, in person without an address, paid without a fee, closing in the past).
// `keptClosesAt` is the stored closing time: leaving it unchanged on a closed opportunity is fine.
export function readOpportunityForm(
  body: Record<string, unknown>,
  now: Date,
  keptClosesAt: Date | null = null,
): { ok: true; value: OpportunityFields } | { ok: false; errors: Record<string, string> } {
  const parsed = FieldsSchema.safeParse(body);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  const startsOn = readDay(body, 'startsOn', `${V}.date`);
  const endsOn = readDay(body, 'endsOn', `${V}.date`);
  if (!startsOn.ok) errors.startsOn = startsOn.message;
  if (!endsOn.ok) errors.endsOn = endsOn.message;
  if (startsOn.ok && endsOn.ok && startsOn.date && endsOn.date && endsOn.date < startsOn.date) errors.endsOn = msg(`${V}.endBeforeStart`);
  const meetings = readMeetingDates(body.meetingDates);
  if (!meetings.ok) errors.meetingDates = msg(`${V}.meetingDates`);
  const closes = readClosingTime(body, 'closesAt', `${V}.closesAt`);
  if (!closes.ok) errors.closesAt = closes.message;
  else if (closes.at <= now && closes.at.getTime() !== keptClosesAt?.getTime()) errors.closesAt = msg(`${V}.closesAt.past`);
  // The rules between fields are checked even when another field is wrong, so every mistake shows at once.
  let feePence: number | null = null;
  if (body.paid === 'yes') {
    const fee = readPounds(body.fee);
    if (fee === 'negative') errors.fee = msg(`${V}.fee.negative`);
    else if (fee === null || fee === 0) errors.fee = msg(`${V}.fee.missing`);
    else feePence = fee;
    if (!body.feeUnit) errors.feeUnit ??= msg(`${V}.feeUnit`);
  }
  if ((body.mode === 'in-person' || body.mode === 'both') && !body.venueAddress) errors.venueAddress = msg(`${V}.venueAddress`);
  if (Object.keys(errors).length || !parsed.success || !closes.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...parsed.data,
      feeUnit: parsed.data.paid === 'yes' ? parsed.data.feeUnit : null,
      feePence,
      startsOn: startsOn.ok ? startsOn.date : null,
      endsOn: endsOn.ok ? endsOn.date : null,
      meetingDates: meetings.ok ? meetings.dates : [],
      closesAt: closes.at,
    },
  };
}

// A new closing date and time (reopen or extend): it must be in the future.
export function readNewClosingTime(body: Record<string, unknown>, now: Date) {
  const closes = readClosingTime(body, 'closesAt', `${V}.closesAt`);
  if (!closes.ok) return { ok: false as const, errors: { closesAt: closes.message } };
  if (closes.at <= now) return { ok: false as const, errors: { closesAt: msg(`${V}.closesAt.past`) } };
  return { ok: true as const, value: closes.at };
}

// The public listing's filters, read leniently: a bookmarked address with an unknown value still works.
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): T | undefined =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
export const ListingQuerySchema = z.object({
  type: lenient(oneOf(opportunityTypes)),
  where: lenient(oneOf(['online', 'in-person'] as const)),
  region: lenient(oneOf(regionOptions)),
  pay: lenient(oneOf(['paid', 'unpaid'] as const)),
  lived: lenient((v) => (v === 'yes' ? true : undefined)),
  closingSoon: lenient((v) => (v === 'yes' ? true : undefined)),
});
export type ListingFilters = Partial<z.infer<typeof ListingQuerySchema>>;

export const AdminListQuerySchema = z.object({
  status: lenient((v) => oneOf(opportunityStatuses)(v) ?? 'open'),
});
