import { z } from 'zod';
import { hasControlCharacters, optionalText } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';
import type { QuestionRow } from './reviews-repository.ts';
import type { AnswerValue } from './reviewing-repository.ts';

const V = 'reviewing.validation';
export const COMMENT_MAX = 5000;
const textLimit = { 'short-text': 500, 'long-text': 5000 } as const;

// Form checkboxes arrive as a string (one ticked), an array (several) or nothing.
const asList = (v: unknown): unknown[] => (v === undefined || v === '' ? [] : [v].flat());
const short = (label: string) => (label.length > 80 ? `${label.slice(0, 77)}…` : label);

// One section's comment, and where to go once it is saved.
export const CommentSchema = z.object({
  comment: optionalText(msg('reviewing.section.comment.name'), COMMENT_MAX),
  action: z.enum(['next', 'contents']).catch('next'),
});

export const fieldName = (q: Pick<QuestionRow, 'id'>) => `q${q.id}`;
export const ratingValues = ['1', '2', '3', '4', '5'];
export const choicesOf = (q: QuestionRow) => (q.kind === 'yes-no' ? ['yes', 'no'] : q.kind === 'rating' ? ratingValues : q.options);

// One answer, as stored: text for the text kinds, the choices (or the rating) in `values`; null
// when left empty.
function answerSchema(q: QuestionRow): z.ZodType<AnswerValue | null> {
  const label = short(q.label);
  if (q.kind === 'short-text' || q.kind === 'long-text') {
    const max = textLimit[q.kind];
    return z
      .string({ error: msg(`${V}.notText`, { label }) })
      .max(max, msg(`${V}.tooLong`, { label, max }))
      .refine((v) => !hasControlCharacters(v), msg(`${V}.notText`, { label }))
      .optional()
      .transform((v) => (v ? { text: v.replace(/\r\n?/g, '\n'), values: [] } : null));
  }
  const options = choicesOf(q);
  const fromList = msg(`${V}.fromList`, { label });
  if (q.kind === 'multiple-choice')
    return z
      .preprocess(asList, z.array(z.string().refine((v) => options.includes(v), fromList)))
      .transform((v) => (v.length ? { text: null, values: [...new Set(v)] } : null));
  return z
    .preprocess((v) => (v === '' ? undefined : v), z.string({ error: fromList }).optional())
    .refine((v) => v === undefined || options.includes(v), fromList)
    .transform((v) => (v ? { text: null, values: [v] } : null));
}

// Hours as people write them ("2", "1.5"), up to a working fortnight; empty means "not said".
const hoursField = z
  .string({ error: msg(`${V}.hours`) })
  .optional()
  .transform((v) => (v ? v.replace(/\s*(hours?|hrs?)$/i, '') : ''))
  .refine((v) => v === '' || (/^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) > 0 && Number(v) <= 80), msg(`${V}.hours`))
  .transform((v) => (v === '' ? null : Math.round(Number(v) * 60)));

// The questions page: every question's answer (required ones are checked only on submitting),
// the time it took and whether the public summary may name them (no unless they say yes).
export function answersSchema(questions: QuestionRow[]) {
  const shape: Record<string, z.ZodType> = {
    hours: hoursField,
    nameInSummary: z
      .enum(['yes', 'no'])
      .catch('no')
      .transform((v) => v === 'yes'),
  };
  for (const q of questions) shape[fieldName(q)] = answerSchema(q);
  return z.object(shape);
}
export type AnswersForm = { hours: number | null; nameInSummary: boolean } & Record<string, AnswerValue | null>;

export const formatKinds = ['large-print', 'audio', 'easy-read', 'paper', 'other'] as const;

// Asking for the document in another format, or for more time.
export const RequestSchema = z
  .object({
    kind: z.enum(['format', 'more-time'], { error: msg(`${V}.requestKind`) }),
    format: z.enum(formatKinds, { error: msg(`${V}.format`) }).optional(),
    formatDetail: optionalText(msg('reviewing.request.formatDetail.name'), 500),
    howMuch: optionalText(msg('reviewing.request.howMuch.name'), 200),
    why: optionalText(msg('reviewing.request.why.name'), 1000),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'format' && !v.format) ctx.addIssue({ code: 'custom', path: ['format'], message: msg(`${V}.format`) });
    if (v.kind === 'format' && v.format === 'other' && !v.formatDetail)
      ctx.addIssue({ code: 'custom', path: ['formatDetail'], message: msg(`${V}.formatDetail`) });
    if (v.kind === 'more-time' && !v.howMuch) ctx.addIssue({ code: 'custom', path: ['howMuch'], message: msg(`${V}.howMuch`) });
  });
export type RequestForm = z.output<typeof RequestSchema>;
export const requestFieldOrder = ['kind', 'format', 'formatDetail', 'howMuch', 'why'];

export const DeclineSchema = z.object({ reason: optionalText(msg('reviewing.decline.reason.name'), 1000) });
