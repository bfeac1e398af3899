import { z } from 'zod';
import { hasControlCharacters, single } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';
import { responseOutcomes } from './tables.ts';

const V = 'reviewResponses.admin.validation';
const freeText = (missing: string, label: string, max: number) =>
  z.preprocess(
    single,
    z
      .string({ error: msg(missing) })
      .min(1, msg(missing))
      .max(max, msg('fields.text.tooLong', { label: msg(label), max }))
      .refine((v) => !hasControlCharacters(v), msg('fields.text.controlCharacters', { label: msg(label) }))
      .transform((v) => v.replace(/\r\n?/g, '\n')),
  );

export const REASON_MAX = 1000;

// Staff's answer to one comment: what happened, and a sentence of why.
export const ResponseSchema = z.object({
  outcome: z.preprocess(single, z.enum(responseOutcomes, { error: msg(`${V}.outcome`) })),
  reason: freeText(`${V}.reason`, 'reviewResponses.admin.respond.reason.label', REASON_MAX),
});

// The public "you said, we did" summary, in Markdown.
export const SummarySchema = z.object({
  summary: freeText(`${V}.summary`, 'reviewResponses.admin.summary.label', 20_000),
});
