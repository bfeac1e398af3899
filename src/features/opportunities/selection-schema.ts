import { z } from 'zod';
import { lenient } from '#src/lib/forms.ts';
import { optionalText } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';
import { parsePage } from '#src/lib/pagination.ts';
import { selectionStates } from './tables.ts';
import type { ApplicationFilter, SelectionState } from './selection-repository.ts';

const A = 'selection.admin';

// The decisions staff can mark; 'new' is only ever the state before anyone decides.
export const decisions = selectionStates.filter((s): s is Exclude<SelectionState, 'new'> => s !== 'new');
export const shows = ['submitted', 'withdrawn', 'untold'] as const;

// The list's filters, bookmarkable: an unknown value is dropped, a bad page number is "not found".
export const ApplicationsQuerySchema = z.object({
  selection: lenient((v) => ((selectionStates as readonly unknown[]).includes(v) ? (v as SelectionState) : undefined)),
  show: lenient((v) => ((shows as readonly unknown[]).includes(v) ? (v as (typeof shows)[number]) : undefined)),
  page: lenient((v) => parsePage(v)),
});
export type ApplicationsQuery = Partial<z.infer<typeof ApplicationsQuerySchema>>;

export const filterOf = (q: ApplicationsQuery): ApplicationFilter => ({
  selection: q.selection,
  withdrawn: q.show === 'withdrawn' ? true : q.show === 'submitted' ? false : undefined,
  untold: q.show === 'untold' || undefined,
});

export function queryString(q: ApplicationsQuery, page = 1) {
  const params = new URLSearchParams();
  if (q.selection) params.set('selection', q.selection);
  if (q.show) params.set('show', q.show);
  if (page > 1) params.set('page', String(page));
  return params.toString();
}

export const DecisionSchema = z.object({
  selection: z.enum(decisions, { error: msg(`${A}.decision.missing`) }),
});

// A score from 1 to 5, notes, or both; a reviewer may come back and change either.
export const ReviewSchema = z
  .object({
    score: z
      .string({ error: msg(`${A}.review.scoreRange`) })
      .optional()
      .transform((v) => v || undefined)
      .pipe(z.enum(['1', '2', '3', '4', '5'], { error: msg(`${A}.review.scoreRange`) }).optional()),
    notes: optionalText(`${A}.review.notesLabel`, 4000),
  })
  .refine((v) => v.score !== undefined || v.notes, { message: msg(`${A}.review.missing`), path: ['score'] })
  .transform((v) => ({ score: v.score === undefined ? null : Number(v.score), notes: v.notes }));

export const FeedbackSchema = z.object({
  feedback: optionalText(`${A}.feedback.label`, 2000),
});
