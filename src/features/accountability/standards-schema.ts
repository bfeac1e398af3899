import { z } from 'zod';
import { formText, single } from '#src/lib/fields.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { readDateBoxes } from '#src/features/groups/meetings-time.ts';
import { measureKeys } from './evidence-measures.ts';
import { ratings } from './tables.ts';

// The staff forms of the standards area: a framework, one of its standards, a round, the staff
// rating of a standard, a piece of evidence (a link) and an action to improve.
const A = 'standardsStaff.admin';
const V = `${A}.validation`;
const L = `${A}.fields`;

const { required, optional } = formText(V, (field) => `${L}.${field}`);
const address = (field: string) =>
  z.preprocess(
    single,
    z
      .string({ error: msg(`${V}.${field}`) })
      .max(500, msg(`${V}.${field}`))
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || /^(https?:\/\/[^\s<>"]+|\/(?![/\\])[^\s<>"]*)$/.test(v), msg(`${V}.${field}`)),
  );
// One entry per line, blank lines dropped.
const lines = (v: string | null) =>
  (v ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export const frameworkFieldOrder = ['name', 'edition', 'publisher', 'sourceUrl', 'description', 'name_cy', 'description_cy'];
export const FrameworkSchema = z.object({
  name: required('name', 200),
  edition: optional('edition', 100),
  publisher: optional('publisher', 200),
  sourceUrl: address('sourceUrl'),
  description: optional('description', 5000),
  name_cy: optional('name_cy', 200),
  description_cy: optional('description_cy', 5000),
});

export const standardFieldOrder = ['name', 'summary', 'questions', 'measures', 'name_cy', 'summary_cy', 'questions_cy'];
export const StandardSchema = z.object({
  name: required('name', 200),
  summary: optional('summary', 500),
  questions: optional('questions', 5000)
    .transform(lines)
    .refine((q) => q.length <= 10, msg(`${V}.questionsTooMany`, { max: 10 })),
  measures: z
    .preprocess((v) => (v === undefined || v === '' ? [] : [v].flat()), z.array(z.enum(measureKeys, { error: msg(`${V}.measures`) })))
    .transform((m) => [...new Set(m)]),
  name_cy: optional('name_cy', 200),
  summary_cy: optional('summary_cy', 500),
  questions_cy: optional('questions_cy', 5000),
});

export const roundFieldOrder = ['title', 'frameworkId', 'periodStart', 'periodEnd', 'summary', 'title_cy', 'summary_cy'];
const RoundTextSchema = z.object({
  title: required('title', 200),
  frameworkId: z.preprocess(single, z.string({ error: msg(`${V}.frameworkId`) }).optional()),
  summary: optional('summary', 20_000),
  title_cy: optional('title_cy', 200),
  summary_cy: optional('summary_cy', 20_000),
});
export type RoundFields = z.output<typeof RoundTextSchema> & { periodStart: string; periodEnd: string };

// The round form: its words, and the period it looks back over (both dates, the end not before
// the start). Every mistake is reported at once.
export function readRoundForm(form: Record<string, unknown>): Result<RoundFields> {
  const v = validateForm(RoundTextSchema, form);
  const errors: FieldErrors = v.ok ? {} : { ...v.errors };
  const dates: Record<string, string> = {};
  for (const name of ['periodStart', 'periodEnd']) {
    const d = readDateBoxes(form, name);
    if (!d.ok) errors[name] = d.message;
    else if (!d.date) errors[name] = msg(`${V}.${name}`);
    else dates[name] = d.date;
  }
  if (dates.periodStart && dates.periodEnd && dates.periodEnd < dates.periodStart) errors.periodEnd = msg(`${V}.periodOrder`);
  if (!v.ok || Object.keys(errors).length) return invalid(errors);
  return ok({ ...v.value, periodStart: dates.periodStart!, periodEnd: dates.periodEnd! });
}

export const RatingSchema = z.object({
  rating: z.preprocess((v) => (v === '' || v === undefined ? null : single(v)), z.enum(ratings, { error: msg(`${V}.rating`) }).nullable()),
  narrative: optional('narrative', 20_000),
});

export const evidenceFieldOrder = ['platformLink', 'href', 'title', 'file'];
export const EvidenceLinkSchema = z.object({
  platformLink: z.preprocess(single, z.string({ error: msg(`${V}.platformLink`) }).optional()),
  href: address('href'),
  title: optional('title', 200),
  isPublic: z.preprocess(single, z.string().optional()).transform((v) => v === 'yes'),
});

export const actionFieldOrder = ['text', 'dueOn'];
const ActionTextSchema = z.object({ text: required('text', 500) });

export function readActionForm(form: Record<string, unknown>): Result<{ text: string; dueOn: string | null }> {
  const v = validateForm(ActionTextSchema, form);
  const errors: FieldErrors = v.ok ? {} : { ...v.errors };
  const due = readDateBoxes(form, 'dueOn');
  if (!due.ok) errors.dueOn = due.message;
  if (!v.ok || !due.ok || Object.keys(errors).length) return invalid(errors);
  return ok({ text: v.value.text, dueOn: due.date });
}

// The "saved" notice after a redirect (?saved=rated): only the ones the catalogue has words for,
// anything else is dropped (a bookmarked or edited address is read leniently).
const notices = new Set([
  'created',
  'changed',
  'opened',
  'completed',
  'published',
  'unpublished',
  'archived',
  'restored',
  'standard-added',
  'standard-changed',
  'rated',
  'evidence',
  'removed',
  'action',
  'commitment',
]);
export const savedNotice = (query: unknown): string | null => {
  const saved = (query as { saved?: unknown } | undefined)?.saved;
  return typeof saved === 'string' && notices.has(saved) ? saved : null;
};
