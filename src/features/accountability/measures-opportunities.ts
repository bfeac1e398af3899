import type { FeatureContext } from '#src/platform/feature.ts';
import { diversityAnswerKey } from '#src/features/profile/diversity.ts';
import type { MeasureComputer, MeasureTable, Period } from './measures-types.ts';
import { count, days, measure, measureFrom, notes, percent, percentOf } from './measures-figures.ts';

// Evidence from opportunities: payment and access support stated, who applied against who was
// selected, and applicants told their outcome.

const MIN_GROUP = 5;
type Summary = Awaited<ReturnType<FeatureContext['services']['profile']['diversitySummary']>>;
type Question = NonNullable<Summary>[number];

// Answers that say nothing about the person fold into "other or not shown" with the small groups.
const notAnAnswer = new Set(['Not answered', 'Prefer not to say']);

// The answers of one question that a group shows: those given by 5 or more people.
function shownCounts(question: Question | undefined): Map<string, number> {
  const shown = new Map<string, number>();
  for (const c of question?.counts ?? []) if (typeof c.count === 'number' && !notAnAnswer.has(c.answer)) shown.set(c.answer, c.count);
  return shown;
}

// What is left of a group once its shown answers are taken out; 1 to 4 is itself not shown.
const rest = (total: number, shown: Iterable<number>) => {
  const left = total - [...shown].reduce((a, b) => a + b, 0);
  return left > 0 && left < MIN_GROUP ? null : left;
};

// One table per question: a row for each answer given by 5 or more applicants, the selected
// beside them (only where 5 or more), then "other or not shown".
export function diversityTables(
  applicants: NonNullable<Summary>,
  selected: Summary,
  sizes: { applicants: number; selected: number },
): MeasureTable[] {
  return applicants.map((q) => {
    const applied = shownCounts(q);
    const chosen = shownCounts(selected?.find((s) => s.key === q.key));
    const rows = [...applied].map(([answer, n]) => ({
      label: diversityAnswerKey(q.key, answer),
      cells: [n, selected ? (chosen.get(answer) ?? null) : null],
    }));
    rows.push({
      label: 'measures.applicant-diversity.other',
      cells: [rest(sizes.applicants, applied.values()), selected ? rest(sizes.selected, chosen.values()) : null],
    });
    return {
      caption: `profile.diversity.questions.${q.key}.legend`,
      columns: ['measures.applicant-diversity.applicants', 'measures.applicant-diversity.selected'],
      rows,
    };
  });
}

async function applicantDiversity(ctx: FeatureContext, period: Period) {
  const r = await ctx.services.opportunityEvidence.applicantDiversity(period);
  const figures = [count('applicants', r.applicantCount), count('selected', r.selectedCount)];
  if (!r.applicants) return measure('opportunities.applicant-diversity', 'applicant-diversity', figures, { note: notes.tooFew });
  // A question no group of 5 or more answered alike has nothing to show but "other": left out.
  const tables = diversityTables(r.applicants, r.selected, { applicants: r.applicantCount, selected: r.selectedCount }).filter(
    (t) => t.rows.length > 1,
  );
  return measure(
    'opportunities.applicant-diversity',
    'applicant-diversity',
    figures,
    tables.length ? { tables } : { note: notes.noGroups },
  );
}

export const opportunityMeasures: Record<
  'opportunities.payment-and-access-stated' | 'opportunities.applicant-diversity' | 'opportunities.outcome-told',
  MeasureComputer
> = {
  'opportunities.payment-and-access-stated': measureFrom(
    'opportunities.payment-and-access-stated',
    'payment-and-access-stated',
    ({ services }, period) => services.opportunityEvidence.paymentAndAccess(period),
    (r) => [
      count('opportunitiesPublished', r.published),
      percent('statedPayment', percentOf(r.statedPayment, r.published)),
      percent('statedAccess', percentOf(r.statedAccess, r.published)),
    ],
    (r) => r.published,
  ),
  'opportunities.applicant-diversity': applicantDiversity,
  'opportunities.outcome-told': measureFrom(
    'opportunities.outcome-told',
    'outcome-told',
    ({ services }, period) => services.opportunityEvidence.outcomeTold(period),
    (r) => [
      count('applicants', r.applicants),
      percent('toldOutcome', percentOf(r.told, r.applicants)),
      days('medianDaysToTell', r.medianDays),
    ],
    (r) => r.applicants,
  ),
};
