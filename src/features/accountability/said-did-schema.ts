import { z } from 'zod';
import { readPastDate } from '#src/lib/date-field.ts';
import { hasControlCharacters } from '#src/lib/fields.ts';
import { lenient } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { parsePage } from '#src/lib/pagination.ts';
import { saidSources, type SaidSource } from './tables.ts';

const V = 'saidDidStaff.admin.validation';
export const TITLE_MAX = 160;
export const TEXT_MAX = 6000;
export const THEME_MAX = 60;
export const NAMES_MAX = 1000;

// Free text: required or not, no control characters but line breaks and tabs.
const text = (field: string, max: number, required: boolean) =>
  z
    .string({ error: msg(`${V}.${field}.missing`) })
    .max(max, msg(`${V}.${field}.tooLong`, { max }))
    .refine((v) => !hasControlCharacters(v), msg(`${V}.characters`))
    .refine((v) => !required || v.length > 0, msg(`${V}.${field}.missing`))
    .transform((v) => v.replace(/\r\n?/g, '\n'));
const optional = (field: string, max: number) =>
  text(field, max, false)
    .optional()
    .transform((v) => v || null);

// A link to where it was said: a path on this site or an https address.
const sourcePath = z
  .string()
  .max(500, msg(`${V}.sourcePath.format`))
  .refine((v) => v === '' || /^\/(?!\/)[^\s]*$/.test(v) || /^https:\/\/[^\s/]+[^\s]*$/.test(v), msg(`${V}.sourcePath.format`))
  .optional()
  .transform((v) => v || null);

const optionalId = (field: string) =>
  z
    .string()
    .optional()
    .refine((v) => !v || parseId(v) !== null, msg(`${V}.${field}.choose`))
    .transform((v) => (v ? parseId(v) : null));

export const EntrySchema = z
  .object({
    title: text('title', TITLE_MAX, true),
    youSaid: text('youSaid', TEXT_MAX, true),
    weDid: text('weDid', TEXT_MAX, true),
    title_cy: optional('title', TITLE_MAX),
    youSaid_cy: optional('youSaid', TEXT_MAX),
    weDid_cy: optional('weDid', TEXT_MAX),
    source: z.enum(saidSources, { error: msg(`${V}.source.choose`) }),
    sourceTitle: optional('sourceTitle', TITLE_MAX),
    sourcePath,
    sourceId: optionalId('source'),
    groupId: optionalId('groupId'),
    theme: optional('theme', THEME_MAX),
    commitmentId: optionalId('commitmentId'),
    creditedNames: optional('creditedNames', NAMES_MAX),
    namesAgreed: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    // Somewhere unnamed needs a description of where it was said.
    if (v.source === 'other' && !v.sourceTitle)
      ctx.addIssue({ code: 'custom', path: ['sourceTitle'], message: msg(`${V}.sourceTitle.other`) });
    // Nobody is thanked by name without their agreement.
    if (v.creditedNames && v.namesAgreed !== 'yes')
      ctx.addIssue({ code: 'custom', path: ['namesAgreed'], message: msg(`${V}.namesAgreed.required`) });
  });
export type EntryFields = z.infer<typeof EntrySchema> & { happenedOn: string };
export const entryFieldOrder = [
  'title',
  'youSaid',
  'weDid',
  'source',
  'sourceTitle',
  'sourcePath',
  'groupId',
  'theme',
  'commitmentId',
  'happenedOn',
  'creditedNames',
  'namesAgreed',
  'title_cy',
  'youSaid_cy',
  'weDid_cy',
];

// The whole form: the fields, and the date the change happened in three boxes (not in the future).
export function readEntryForm(form: Record<string, unknown>, now = new Date()) {
  const parsed = EntrySchema.safeParse(form);
  const date = readPastDate(form, 'happenedOn', `${V}.happenedOn`, now);
  const errors: Record<string, string> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'form');
      errors[field] ??= issue.message;
    }
  if (!date.ok) errors.happenedOn = date.message;
  if (!parsed.success || !date.ok) return { ok: false as const, errors };
  return { ok: true as const, value: { ...parsed.data, happenedOn: date.date } as EntryFields };
}

// The public list's filters, read leniently: anything unknown is dropped.
export const ListQuerySchema = z.object({
  group: lenient((v) => (typeof v === 'string' ? parseId(v) : null)),
  theme: lenient((v) => (typeof v === 'string' && v.trim() && v.length <= THEME_MAX ? v.trim() : null)),
  year: lenient((v) => (typeof v === 'string' && /^(19|20)\d\d$/.test(v) ? Number(v) : null)),
  page: lenient((v) => parsePage(v)),
});
export type ListFilters = { group: number | null; theme: string | null; year: number | null };

// ?from=review&id=3 or ?from=meeting&id=5 on the new entry form.
export function readPrefill(q: Record<string, unknown>): { from: Extract<SaidSource, 'review' | 'meeting'>; id: number } | null {
  const id = parseId(q.id);
  if (id === null || (q.from !== 'review' && q.from !== 'meeting')) return null;
  return { from: q.from, id };
}
