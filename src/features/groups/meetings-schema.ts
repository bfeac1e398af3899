import { z } from 'zod';
import { hasControlCharacters, optionalText, single } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';
import { meetingNeeds, needsWithDetail, type MeetingNeed } from './meeting-needs.ts';
import { londonToUtc, readClockTime, readDateBoxes } from './meetings-time.ts';
import { meetingModes, meetingRegistrationKinds, venueAccessOptions } from './tables.ts';

const V = 'meetings.validation';
const VA = 'meetings.admin.validation';
const L = 'meetings.admin.form';

// The staff form's fields in page order, for the error summary.
export const meetingFieldOrder = [
  'title',
  'agenda',
  'date',
  'startTime',
  'endTime',
  'mode',
  'venueName',
  'venueAddress',
  'venueAccess',
  'venueNotes',
  'joinUrl',
  'capacity',
  'registration',
  'closes',
  'closesTime',
  'reminderDays',
  'papersEarly',
];

// Checkboxes arrive as one string, several, or nothing.
export const many = <T extends string>(values: readonly T[], message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]], { error: message })))
    .transform((v) => [...new Set(v)]);

const FieldsSchema = z.object({
  title: z.preprocess(
    single,
    z
      .string({ error: msg(`${VA}.title`) })
      .min(1, msg(`${VA}.title`))
      .max(200, msg('fields.text.tooLong', { label: msg(`${L}.title.label`), max: 200 }))
      .refine((v) => !hasControlCharacters(v), msg('fields.text.controlCharacters', { label: msg(`${L}.title.label`) })),
  ),
  agenda: z.preprocess(single, optionalText(msg(`${L}.agenda.label`), 20_000)),
  mode: z.enum(meetingModes, { error: msg(`${VA}.mode`) }),
  venueName: z.preprocess(single, optionalText(msg(`${L}.venueName.label`), 200)),
  venueAddress: z.preprocess(single, optionalText(msg(`${L}.venueAddress.label`), 500)),
  venueAccess: many(venueAccessOptions, msg(`${VA}.fromList`)),
  venueNotes: z.preprocess(single, optionalText(msg(`${L}.venueNotes.label`), 2_000)),
  joinUrl: z.preprocess(
    single,
    z
      .string({ error: msg(`${VA}.joinUrl`) })
      .max(500, msg(`${VA}.joinUrl`))
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || /^https:\/\/[^\s<>"]+$/.test(v), msg(`${VA}.joinUrl`)),
  ),
  capacity: z.preprocess(
    single,
    z
      .string({ error: msg(`${VA}.capacity`) })
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || /^\d{1,5}$/.test(v), msg(`${VA}.capacity`))
      .transform((v) => (v === null ? null : Number(v)))
      .refine((v) => v === null || (v >= 1 && v <= 10_000), msg(`${VA}.capacity`)),
  ),
  registration: z.enum(meetingRegistrationKinds, { error: msg(`${VA}.registration`) }),
  reminderDays: z.preprocess(
    single,
    z
      .string({ error: msg(`${VA}.reminderDays`) })
      .optional()
      .transform((v) => (v ?? '').split(/[\s,]+/).filter(Boolean))
      .refine((v) => v.length <= 5 && v.every((d) => /^\d{1,2}$/.test(d) && Number(d) <= 60), msg(`${VA}.reminderDays`))
      .transform((v) => [...new Set(v.map(Number))].sort((a, b) => b - a)),
  ),
});

export type MeetingFields = Omit<z.infer<typeof FieldsSchema>, 'agenda'> & {
  agenda: string;
  startsAt: Date;
  endsAt: Date;
  registrationClosesAt: Date | null;
  papersEarlyOn: string | null;
};

type Read = { ok: true; value: MeetingFields } | { ok: false; errors: Record<string, string> };

// The whole staff form: Zod for each field, then the dates and times (London time) and the rules
// between fields, all checked so every mistake shows at once.
export function readMeetingForm(body: Record<string, unknown>, isOpenEvent: boolean): Read {
  const parsed = FieldsSchema.safeParse(isOpenEvent ? { ...body, registration: 'open' } : body);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  const day = readDateBoxes(body, 'date');
  if (!day.ok) errors.date = day.message;
  else if (!day.date) errors.date = msg(`${VA}.date.missing`);
  const start = readClockTime(body.startTime);
  const end = readClockTime(body.endTime);
  if (!start) errors.startTime = msg(`${VA}.startTime`);
  if (!end) errors.endTime = msg(`${VA}.endTime`);
  const startsAt = day.ok && day.date && start ? londonToUtc(day.date, start) : null;
  const endsAt = day.ok && day.date && end ? londonToUtc(day.date, end) : null;
  if (day.ok && day.date && start && !startsAt) errors.startTime = msg(`${VA}.clockChange`);
  if (day.ok && day.date && end && !endsAt) errors.endTime = msg(`${VA}.clockChange`);
  if (startsAt && endsAt && endsAt <= startsAt) errors.endTime = msg(`${VA}.endBeforeStart`);
  const closes = readDateBoxes(body, 'closes');
  let registrationClosesAt: Date | null = null;
  if (!closes.ok) errors.closes = closes.message;
  else if (closes.date) {
    const time = body.closesTime ? readClockTime(body.closesTime) : '23:59';
    if (!time) errors.closesTime = msg(`${VA}.closesTime`);
    else registrationClosesAt = londonToUtc(closes.date, time);
    if (time && !registrationClosesAt) errors.closesTime = msg(`${VA}.clockChange`);
    if (registrationClosesAt && endsAt && registrationClosesAt > endsAt) errors.closes = msg(`${VA}.closesAfterEnd`);
  }
  const papers = readDateBoxes(body, 'papersEarly');
  if (!papers.ok) errors.papersEarly = papers.message;
  else if (papers.date && day.ok && day.date && papers.date > day.date) errors.papersEarly = msg(`${VA}.papersAfterMeeting`);
  const mode = body.mode;
  if ((mode === 'in-person' || mode === 'hybrid') && !body.venueAddress) errors.venueAddress ??= msg(`${VA}.venueAddress`);
  if (Object.keys(errors).length || !parsed.success || !startsAt || !endsAt || !papers.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...parsed.data,
      agenda: parsed.data.agenda ?? '',
      startsAt,
      endsAt,
      registrationClosesAt,
      papersEarlyOn: papers.date,
    },
  };
}

// What a person asks for to take part: the needs ticked, a detail for those that take one, and
// whether to keep them on their profile too.
export const NeedsSchema = z
  .object({
    needs: many(meetingNeeds, msg(`${V}.fromList`)),
    dietaryDetail: z.preprocess(single, optionalText(msg('meetings.register.detail.dietary'), 500)),
    travelDetail: z.preprocess(single, optionalText(msg('meetings.register.detail.travel-booked'), 500)),
    otherDetail: z.preprocess(single, optionalText(msg('meetings.register.detail.other'), 2_000)),
    saveToProfile: z.preprocess(single, z.string().optional()).transform((v) => v === 'yes'),
  })
  .superRefine((v, ctx) => {
    if (v.needs.includes('dietary') && !v.dietaryDetail)
      ctx.addIssue({ code: 'custom', path: ['dietaryDetail'], message: msg(`${V}.detail.dietary`) });
    if (v.needs.includes('travel-booked') && !v.travelDetail)
      ctx.addIssue({ code: 'custom', path: ['travelDetail'], message: msg(`${V}.detail.travel-booked`) });
  });
export type NeedsForm = z.infer<typeof NeedsSchema>;

// The field that holds a need's detail on the form.
export const detailField: Partial<Record<MeetingNeed, 'dietaryDetail' | 'travelDetail' | 'otherDetail'>> = {
  dietary: 'dietaryDetail',
  'travel-booked': 'travelDetail',
  other: 'otherDetail',
};

// The needs as access request rows: one per need, with its detail.
export const requestsFrom = (v: NeedsForm) =>
  v.needs.map((need) => ({ need, detail: needsWithDetail.includes(need) ? (v[detailField[need]!] ?? null) : null }));

export const ArrangedSchema = z.object({
  note: z.preprocess(single, optionalText(msg('meetings.admin.access.note.label'), 500)),
});

export const MinutesSchema = z.object({
  minutes: z.preprocess(
    single,
    z
      .string({ error: msg(`${VA}.minutes`) })
      .min(1, msg(`${VA}.minutes`))
      .max(50_000, msg('fields.text.tooLong', { label: msg('meetings.admin.minutes.label'), max: 50_000 })),
  ),
  publish: z.preprocess(single, z.enum(['draft', 'members', 'public'], { error: msg(`${VA}.publish`) })),
});
