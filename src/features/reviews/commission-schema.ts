import { z } from 'zod';
import { formText, optionalText, single } from '#src/lib/fields.ts';
import type { FieldErrors, Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { londonToUtc, readClockTime, readDateBoxes } from '#src/features/groups/meetings-time.ts';
import { MAX_OPTIONS, optionLines } from '#src/features/opportunities/questions-schema.ts';
import { documentSources, reviewKinds, reviewQuestionKinds } from './tables.ts';

// The staff forms of commissioning a review: the review itself, its questions, the reviewers
// chosen, the deadline and a request handled; and the reviewer's reason for declining.
const A = 'reviewCommission.admin';
const V = `${A}.validation`;
const L = `${A}.form`;

export const MAX_DOCUMENT_TEXT = 500_000;
export const MAX_PDF_BYTES = 20 * 1024 * 1024;

const { required, optional } = formText(V, (field) => `${L}.${field}.name`);

export const reviewFieldOrder = [
  'title',
  'kind',
  'brief',
  'source',
  'documentMarkdown',
  'sourceUrl',
  'pageText',
  'file',
  'deadline',
  'deadlineTime',
  'activityKind',
  'estimatedHours',
];

const ReviewFieldsSchema = z.object({
  title: required('title', 200),
  kind: z.enum(reviewKinds, { error: msg(`${V}.kind`) }),
  brief: required('brief', 20_000),
  source: z.enum(documentSources, { error: msg(`${V}.source`) }),
  documentMarkdown: optional('documentMarkdown', MAX_DOCUMENT_TEXT),
  pageText: optional('pageText', MAX_DOCUMENT_TEXT),
  sourceUrl: z.preprocess(
    single,
    z
      .string({ error: msg(`${V}.sourceUrl`) })
      .max(500, msg(`${V}.sourceUrl`))
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || /^https?:\/\/[^\s<>"]+$/.test(v), msg(`${V}.sourceUrl`)),
  ),
  activityKind: z.preprocess(
    single,
    z
      .string({ error: msg(`${V}.activityKind`) })
      .max(100, msg(`${V}.activityKind`))
      .optional()
      .transform((v) => v || null),
  ),
  estimatedHours: z.preprocess(
    single,
    z
      .string({ error: msg(`${V}.estimatedHours`) })
      .regex(/^\d{1,3}(\.\d{1,2})?$/, msg(`${V}.estimatedHours`))
      .transform((v) => Math.round(Number(v) * 60))
      .refine((m) => m >= 15 && m <= 100 * 60, msg(`${V}.estimatedHours`)),
  ),
});

export type ReviewFields = z.output<typeof ReviewFieldsSchema> & { deadline: Date };

// The deadline: a day in three boxes and a time, both London time.
// A deadline left as it was is fine even when it has passed (a review's title changed after it).
export function readDeadline(body: Record<string, unknown>, errors: FieldErrors, now = new Date(), unchanged?: Date): Date | null {
  const day = readDateBoxes(body, 'deadline');
  const time = readClockTime(body.deadlineTime);
  if (!day.ok) errors.deadline = msg(`${V}.deadlineDate`);
  else if (!day.date) errors.deadline = msg(`${V}.deadlineMissing`);
  if (!time) errors.deadlineTime = msg(`${V}.deadlineTime`);
  if (!day.ok || !day.date || !time) return null;
  const at = londonToUtc(day.date, time);
  if (!at) errors.deadlineTime = msg(`${V}.clockChange`);
  else if (at <= now && at.getTime() !== unchanged?.getTime()) errors.deadline = msg(`${V}.deadlinePast`);
  return at && !errors.deadline ? at : null;
}

// The review form: every field checked so all mistakes show at once. Which document field is
// needed depends on the source; the file itself is checked by the service (it knows whether a PDF
// is already stored). Once a review is open its document is not in the form (`documentNeeded` off).
export function readReviewForm(
  body: Record<string, unknown>,
  opts: { documentNeeded: boolean; deadlineWas?: Date },
  now = new Date(),
): Result<ReviewFields> {
  const parsed = ReviewFieldsSchema.safeParse(body);
  const errors: FieldErrors = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  const deadline = readDeadline(body, errors, now, opts.deadlineWas);
  if (opts.documentNeeded) {
    const given = (field: string) => typeof body[field] === 'string' && body[field].trim() !== '';
    if (body.source === 'markdown' && !given('documentMarkdown')) errors.documentMarkdown ??= msg(`${V}.documentMarkdown`);
    if (body.source === 'web-page' && !given('pageText')) errors.pageText ??= msg(`${V}.pageText`);
    if (body.source === 'web-page' && !given('sourceUrl')) errors.sourceUrl ??= msg(`${V}.sourceUrl`);
  }
  if (!parsed.success || !deadline || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { ...parsed.data, deadline } };
}

export const questionFieldOrder = ['question-kind', 'question-label', 'question-hint', 'question-options', 'question-required'];

// One question as staff write it. Choices need two or more options; a rating has five labels
// (one a line, 1 to 5), the default ones when left empty.
export const QuestionSchema = z
  .object({
    kind: z.enum(reviewQuestionKinds, { error: msg(`${V}.questionKind`) }),
    label: required('label', 300),
    hint: optional('hint', 1000),
    options: optional('options', 5000).transform(optionLines),
    required: z.enum(['yes', 'no'], { error: msg(`${V}.questionRequired`) }).transform((v) => v === 'yes'),
  })
  .superRefine((v, ctx) => {
    const choice = v.kind === 'single-choice' || v.kind === 'multiple-choice';
    const issue = (message: string) => ctx.addIssue({ code: 'custom', path: ['options'], message });
    if (choice && v.options.length < 2) issue(msg(`${V}.options`));
    if (choice && v.options.length > MAX_OPTIONS) issue(msg(`${V}.tooManyOptions`, { max: MAX_OPTIONS }));
    if (v.options.some((o) => o.length > 200)) issue(msg(`${V}.optionTooLong`, { max: 200 }));
    if (v.kind === 'rating' && v.options.length && v.options.length !== 5) issue(msg(`${V}.ratingLabels`));
    if (!choice && v.kind !== 'rating' && v.options.length) issue(msg(`${V}.noOptions`));
  });
export type QuestionFields = z.output<typeof QuestionSchema>;

export const MoveSchema = z.object({ direction: z.enum(['up', 'down'], { error: msg(`${V}.direction`) }) });

// People ticked on the page (from a search of the register, or the suggestions).
export const PeopleSchema = z.object({
  userIds: z
    .union([z.string(), z.array(z.string())], { error: msg(`${V}.userIds`) })
    .transform((v) => [...new Set([v].flat().filter((id) => /^[A-Za-z0-9_-]{1,100}$/.test(id)))])
    .refine((v) => v.length > 0 && v.length <= 200, msg(`${V}.userIds`)),
});

const idField = (message: string) =>
  z.preprocess(single, z.coerce.number({ error: message }).int(message).positive(message).max(2_147_483_647, message));
export const GroupChoiceSchema = z.object({ groupId: idField(msg(`${V}.groupId`)) });
export const OpportunityChoiceSchema = z.object({ opportunityId: idField(msg(`${V}.opportunityId`)) });

export const HandledSchema = z.object({ note: optional('note', 1000) });

export const DeclineSchema = z.object({
  reason: z.preprocess(single, optionalText(msg('reviewInvitations.decline.reason.name'), 500)),
});
