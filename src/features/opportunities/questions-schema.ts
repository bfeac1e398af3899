import { z } from 'zod';
import { hasControlCharacters, optionalText } from '#src/lib/fields.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { localised, type Translations } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { questionKinds } from './tables.ts';

const Q = 'opportunity-staff.admin.questions';

// The question form's fields in page order, for the error summary.
export const questionFieldOrder = ['kind', 'label', 'hint', 'options', 'required', 'label_cy', 'hint_cy', 'options_cy'];

export type QuestionKind = (typeof questionKinds)[number];
export const choiceKinds: readonly QuestionKind[] = ['single-choice', 'multiple-choice'];
export const MAX_OPTIONS = 30;

// Options typed one a line: blank lines dropped, each trimmed, the same option once.
export const optionLines = (v: unknown): string[] =>
  typeof v === 'string'
    ? [
        ...new Set(
          v
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean),
        ),
      ]
    : [];

const labelText = (field: string) =>
  z
    .string({ error: msg(`${Q}.validation.label`) })
    .max(300, msg('fields.text.tooLong', { label: msg(`${Q}.form.${field}.name`), max: 300 }))
    .refine((v) => !hasControlCharacters(v), msg('fields.text.controlCharacters', { label: msg(`${Q}.form.${field}.name`) }));

// One question as staff write it. Options are needed (two or more) only for the choice kinds;
// the Welsh options, when given, translate the English ones line by line.
export const QuestionSchema = z
  .object({
    kind: z.enum(questionKinds, { error: msg(`${Q}.validation.kind`) }),
    label: labelText('label').refine((v) => v.length > 0, msg(`${Q}.validation.label`)),
    hint: optionalText(msg(`${Q}.form.hint.name`), 1000),
    options: optionalText(msg(`${Q}.form.options.name`), 5000).transform(optionLines),
    required: z.enum(['yes', 'no'], { error: msg(`${Q}.validation.required`) }).transform((v) => v === 'yes'),
    label_cy: labelText('label_cy')
      .optional()
      .transform((v) => v || null),
    hint_cy: optionalText(msg(`${Q}.form.hint_cy.name`), 1000),
    options_cy: optionalText(msg(`${Q}.form.options_cy.name`), 5000).transform(optionLines),
  })
  .superRefine((v, ctx) => {
    const choice = choiceKinds.includes(v.kind);
    if (choice && v.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: msg(`${Q}.validation.options`) });
    if (choice && v.options.length > MAX_OPTIONS)
      ctx.addIssue({ code: 'custom', path: ['options'], message: msg(`${Q}.validation.tooManyOptions`, { max: MAX_OPTIONS }) });
    if (choice && v.options.some((o) => o.length > 200))
      ctx.addIssue({ code: 'custom', path: ['options'], message: msg(`${Q}.validation.optionTooLong`, { max: 200 }) });
    if (!choice && v.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: msg(`${Q}.validation.noOptions`) });
    if ((v.hint_cy || v.options_cy.length) && !v.label_cy)
      ctx.addIssue({ code: 'custom', path: ['label_cy'], message: msg(`${Q}.validation.label_cy`) });
    if (choice && v.options_cy.length && v.options_cy.length !== v.options.length)
      ctx.addIssue({ code: 'custom', path: ['options_cy'], message: msg(`${Q}.validation.options_cy`, { count: v.options.length }) });
    if (!choice && v.options_cy.length) ctx.addIssue({ code: 'custom', path: ['options_cy'], message: msg(`${Q}.validation.noOptions`) });
  });
export type QuestionFields = z.output<typeof QuestionSchema>;

export const MoveSchema = z.object({ direction: z.enum(['up', 'down'], { error: msg(`${Q}.validation.direction`) }) });

// A question's words in one language: the Welsh label, hint and options where staff wrote them
// (options only when there is one for each English option), else the English. The answer stored
// is always the English option, so staff read every application alike.
export function questionWords(
  q: { label: string; hint: string | null; options: string[]; translations?: Translations | null },
  lang: Lang,
): { label: string; hint: string | null; options: string[]; contentLang: Lang } {
  const words = localised({ label: q.label, hint: q.hint ?? '', translations: q.translations }, ['label', 'hint'] as const, lang);
  const translated = words.contentLang !== 'en' ? optionLines(q.translations?.[words.contentLang]?.options) : [];
  return {
    label: words.label,
    hint: words.hint || null,
    options: translated.length === q.options.length ? translated : q.options,
    contentLang: words.contentLang,
  };
}
