import { z } from 'zod';
import { hasControlCharacters, optionalText } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';
import { accessNeedOptions, contactMethodOptions, formatOptions } from '#src/features/profile/schema.ts';
import type { Lang } from '#src/lib/i18n.ts';
import type { opportunityQuestions } from './tables.ts';
import { questionWords } from './questions-schema.ts';

type Question = typeof opportunityQuestions.$inferSelect;

// Form checkboxes arrive as a string (one ticked), an array (several) or nothing.
const asList = (v: unknown): unknown[] => (v === undefined || v === '' ? [] : [v].flat());
const values = <T extends readonly { value: string }[]>(opts: T) =>
  opts.map((o) => o.value) as unknown as readonly [T[number]['value'], ...T[number]['value'][]];
const choices = <T extends readonly [string, ...string[]]>(options: T, message: string) =>
  z.preprocess(asList, z.array(z.enum(options, { error: message })).max(options.length)).transform((v) => [...new Set(v)]);

// The part of every application that is the same whatever the opportunity: the applicant's copy
// of their access needs and communication preferences, and "anything else we should know".
export const ApplicationCommonSchema = z.object({
  accessNeeds: choices(values(accessNeedOptions), msg('applications.form.accessNeeds.fromList')),
  accessNeedsNotes: optionalText(msg('applications.form.accessNeedsNotes.name'), 2000),
  contactMethods: choices(values(contactMethodOptions), msg('applications.form.contactMethods.fromList')),
  formats: choices(values(formatOptions), msg('applications.form.formats.fromList')),
  anythingElse: optionalText(msg('applications.form.anythingElse.name'), 4000),
});
export type ApplicationCommon = z.output<typeof ApplicationCommonSchema>;

export const fieldName = (q: Pick<Question, 'id'>) => `q${q.id}`;
const textLimit = { 'short-text': 500, 'long-text': 5000 } as const;

// One question's answer: null when left empty. `label` names the question in messages.
function answerSchema(q: Question, label: string) {
  if (q.kind === 'short-text' || q.kind === 'long-text') {
    const max = textLimit[q.kind];
    return z
      .string({ error: msg('applications.form.answer.notText', { label }) })
      .max(max, msg('applications.form.answer.tooLong', { label, max }))
      .refine((v) => !hasControlCharacters(v), msg('applications.form.answer.notText', { label }))
      .optional()
      .transform((v) => (v ? v.replace(/\r\n?/g, '\n') : null));
  }
  if (q.kind === 'multiple-choice') {
    return z
      .preprocess(asList, z.array(z.string().refine((v) => q.options.includes(v), msg('applications.form.answer.fromList', { label }))))
      .transform((v) => (v.length ? [...new Set(v)] : null));
  }
  const options = q.kind === 'yes-no' ? ['yes', 'no'] : q.options;
  return z
    .preprocess((v) => (v === '' ? undefined : v), z.string().optional())
    .refine((v) => v === undefined || options.includes(v), msg('applications.form.answer.fromList', { label }))
    .transform((v) => v ?? null);
}

// The whole form for one opportunity's questions. Required questions are checked only when the
// application is sent: a draft may be saved with anything missing.
// Messages name each question as the page showed it (`lang`).
export function applicationSchema(questions: Question[], sending: boolean, lang: Lang = 'en') {
  const labelOf = (q: Question) => {
    const { label } = questionWords(q, lang);
    return label.length > 80 ? `${label.slice(0, 77)}…` : label;
  };
  const shape: Record<string, z.ZodType> = {};
  for (const q of questions) shape[fieldName(q)] = answerSchema(q, labelOf(q));
  return ApplicationCommonSchema.extend(shape).superRefine((v, ctx) => {
    if (!sending) return;
    for (const q of questions) {
      if (!q.required || (v as Record<string, unknown>)[fieldName(q)] !== null) continue;
      const label = labelOf(q);
      const key = q.kind === 'short-text' || q.kind === 'long-text' ? 'missingText' : 'missingChoice';
      ctx.addIssue({ code: 'custom', path: [fieldName(q)], message: msg(`applications.form.answer.${key}`, { label }) });
    }
  });
}

// Which button was pressed: save a draft or send the application.
export const ApplyActionSchema = z.object({ action: z.enum(['save', 'submit']).catch('save') });

export const WithdrawSchema = z.object({
  confirm: z.literal('yes', { error: msg('applications.withdraw.confirm.missing') }),
});
