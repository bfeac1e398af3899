import { randomBytes } from 'node:crypto';
import type { Db } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { contributorProfiles } from '#src/features/profile/tables.ts';

// For the document review journey (reviews.spec.ts), one set per project, made before the server
// starts: three contributors staff will invite, and one who is never invited.
export function e2eReviews(project: string) {
  const person = (first: string) => ({
    name: `${first} Reviewer ${project}`,
    email: `review-${first.toLowerCase()}-${project}@example.net`,
  });
  return {
    title: `Draft leaflet: coming home after an operation (${project})`,
    ada: person('Ada'),
    bea: person('Bea'),
    cy: person('Cy'),
    dot: person('Dot'),
  };
}

export async function createE2eReviewers(db: Db) {
  for (const project of ['js', 'no-js']) {
    const r = e2eReviews(project);
    for (const p of [r.ada, r.bea, r.cy, r.dot]) {
      const [row] = await db
        .insert(user)
        .values({ id: randomBytes(16).toString('base64url'), name: p.name, email: p.email, emailVerified: true })
        .returning();
      await db
        .insert(contributorProfiles)
        .values({ userId: row!.id, paymentPreference: 'fee', receivesBenefits: 'no', publicSectorEmployee: 'no' });
    }
  }
}
