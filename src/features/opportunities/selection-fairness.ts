import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Opportunity } from './matching.ts';
import type { SelectionRepository } from './selection-repository.ts';

// Who is in each group the fair selection view compares. The shortlist is everyone who reached it
// (shortlisted, then selected or waitlisted); the selection is those offered a place.
const groups = {
  pool: null,
  shortlist: ['shortlisted', 'selected', 'waitlisted'],
  selection: ['selected'],
} as const;

// The fair selection view: the diversity of the pool, the shortlist and the selection side by side,
// only ever as counts of groups of 5 or more (the profile's diversitySummary refuses smaller
// groups and hides small counts), and which of the lived experience and region sought the selection
// covers. Nothing here is per person.
export function createFairSelection(
  ctx: FeatureContext,
  repo: SelectionRepository,
  opportunityOrNotFound: (id: number) => Promise<Opportunity>,
) {
  const { audit, profile } = ctx.services;

  return {
    async fairness(actor: CurrentUser, opportunityId: number) {
      const opportunity = await opportunityOrNotFound(opportunityId);
      const people = await repo.userIdsBySelection(opportunityId);
      const idsOf = (states: readonly string[] | null) =>
        people.filter((p) => !states || states.includes(p.selection)).map((p) => p.userId);
      const sizes = {
        pool: idsOf(groups.pool).length,
        shortlist: idsOf(groups.shortlist).length,
        selection: idsOf(groups.selection).length,
      };
      const [pool, shortlist, selection] = await Promise.all([
        profile.diversitySummary(idsOf(groups.pool)),
        profile.diversitySummary(idsOf(groups.shortlist)),
        profile.diversitySummary(idsOf(groups.selection)),
      ]);
      // One row per question and answer, with each group's count (or "fewer than 5", or absent).
      const questions = (pool ?? shortlist ?? selection ?? []).map((q) => {
        const answers = new Set<string>();
        for (const s of [pool, shortlist, selection]) for (const c of s?.find((x) => x.key === q.key)?.counts ?? []) answers.add(c.answer);
        const countIn = (s: typeof pool, answer: string) =>
          s?.find((x) => x.key === q.key)?.counts.find((c) => c.answer === answer)?.count ?? null;
        return {
          key: q.key,
          legend: q.legend,
          rows: [...answers].map((answer) => ({
            answer,
            pool: pool ? (countIn(pool, answer) ?? 0) : null,
            shortlist: shortlist ? (countIn(shortlist, answer) ?? 0) : null,
            selection: selection ? (countIn(selection, answer) ?? 0) : null,
          })),
        };
      });

      // Lived experience and region sought, and whether anyone selected brings them.
      const selectedFacts = await Promise.all(idsOf(groups.selection).map((id) => profile.matchFacts(id)));
      const heldTerms = new Set(selectedFacts.flatMap((f) => f.termIds));
      const terms = await profile.terms(true);
      const sought = opportunity.soughtTermIds.map((id) => ({
        label: terms.find((t) => t.id === id)?.label ?? String(id),
        covered: heldTerms.has(id),
      }));
      const regions = [...new Set(selectedFacts.flatMap((f) => (f.region ? [f.region] : [])))].sort();
      await audit.record({ actorUserId: actor.id, action: 'application.fairness-viewed', details: { opportunity: opportunityId } });
      return {
        opportunity,
        sizes,
        shown: { pool: !!pool, shortlist: !!shortlist, selection: !!selection },
        questions,
        sought,
        region: opportunity.region ? { sought: opportunity.region, covered: regions.includes(opportunity.region) } : null,
        regions,
      };
    },
  };
}
