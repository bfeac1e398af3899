import type { Db } from '#src/db/client.ts';
import { createOpportunity } from '#src/features/opportunities/test-support.ts';

// An open opportunity with questions of its own, made before the server starts, for the journeys
// that are about applying rather than writing adverts (opportunities-apply.spec.ts).
export const e2eOpportunity = { slug: 'e2e-review-our-waiting-times-report', title: 'Review our report on waiting times' } as const;

export async function createE2eOpportunity(db: Db) {
  await createOpportunity(db, { ...e2eOpportunity, contactEmail: 'involvement@example.org' }, [
    { kind: 'long-text', label: 'Why would you like to take part?', required: true },
    { kind: 'single-choice', label: 'Which meeting suits you?', options: ['Morning', 'Evening'], required: true },
  ]);
}
