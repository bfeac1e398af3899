import type { Db } from '#src/db/client.ts';
import { assessmentRounds, standardFrameworks, standards } from './tables.ts';

// A framework with three standards (the first with a computed measure and Welsh words) and a round
// open to contributors, straight into the tables (the standards area's forms are another's).
export async function insertRoundWithStandards(db: Db, over: Partial<typeof assessmentRounds.$inferInsert> = {}) {
  const suffix = Math.random().toString(36).slice(2, 8);
  const [framework] = await db
    .insert(standardFrameworks)
    .values({ key: `test-${suffix}`, name: 'Test standards' })
    .returning();
  const made = await db
    .insert(standards)
    .values([
      {
        frameworkId: framework!.id,
        key: 'inclusive',
        name: 'Inclusive opportunities',
        summary: 'Anyone can take part.',
        questions: ['Who is missing from our groups?'],
        measures: ['opportunities.payment-and-access-stated', 'opportunities.applicant-diversity'],
        position: 1,
        translations: {
          cy: { name: 'Cyfleoedd cynhwysol', summary: 'Gall unrhyw un gymryd rhan.', questions: 'Pwy sydd ar goll o’n grwpiau?' },
        },
      },
      { frameworkId: framework!.id, key: 'together', name: 'Working together', summary: 'We share power.', position: 2 },
      { frameworkId: framework!.id, key: 'impact', name: 'Impact', summary: 'Involvement changes things.', position: 3 },
    ])
    .returning();
  const [round] = await db
    .insert(assessmentRounds)
    .values({
      slug: `round-${suffix}`,
      frameworkId: framework!.id,
      title: `Annual review ${suffix}`,
      state: 'open',
      periodStart: '2026-04-01',
      periodEnd: '2027-03-31',
      ...over,
    })
    .returning();
  return { round: round!, standards: made.sort((a, b) => a.position - b.position) };
}
