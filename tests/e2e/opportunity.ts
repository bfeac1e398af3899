import { randomBytes } from 'node:crypto';
import type { Db } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { createApplication, createOpportunity } from '#src/features/opportunities/test-support.ts';
import { applicationAnswers, opportunityQuestions } from '#src/features/opportunities/tables.ts';
import { eq } from 'drizzle-orm';

// An open opportunity with questions of its own, made before the server starts, for the journeys
// that are about applying rather than writing adverts (opportunities-apply.spec.ts).
export const e2eOpportunity = { slug: 'e2e-review-our-waiting-times-report', title: 'Review our report on waiting times' } as const;

// For the selection journey, one closed opportunity per project with three people who applied
// (each project changes its own), and one opportunity that closes shortly after the server starts,
// for the closing job to close on time (opportunities-select.spec.ts).
export const e2eClosesSoon = { slug: 'e2e-closes-soon', title: 'Help us test our appointment letters' } as const;
export function e2eSelection(project: string) {
  const person = (first: string) => ({
    name: `${first} Selection ${project}`,
    email: `selection-${first.toLowerCase()}-${project}@example.net`,
  });
  return {
    slug: `e2e-join-our-waiting-times-panel-${project}`,
    title: `Join our waiting times panel (${project})`,
    // In the order they applied: the waiting list is offered in that order.
    selected: person('Amal'),
    waitlisted: person('Bryn'),
    turnedDown: person('Cerys'),
  };
}

export async function createE2eOpportunity(db: Db) {
  await createOpportunity(db, { ...e2eOpportunity, contactEmail: 'involvement@example.org' }, [
    { kind: 'long-text', label: 'Why would you like to take part?', required: true },
    { kind: 'single-choice', label: 'Which meeting suits you?', options: ['Morning', 'Evening'], required: true },
  ]);
  await createOpportunity(db, { ...e2eClosesSoon, closesAt: new Date(Date.now() + 40_000) });
  for (const project of ['js', 'no-js']) await createE2eSelection(db, e2eSelection(project));
}

async function createE2eSelection(db: Db, s: ReturnType<typeof e2eSelection>) {
  const closedAt = new Date(Date.now() - 3600_000);
  const o = await createOpportunity(
    db,
    { slug: s.slug, title: s.title, status: 'closed', closesAt: closedAt, closedAt, places: 1, type: 'lived-experience-group' },
    [{ kind: 'long-text', label: 'What would you bring to the panel?', required: true }],
  );
  const [question] = await db.select().from(opportunityQuestions).where(eq(opportunityQuestions.opportunityId, o.id));
  let minutes = 90;
  for (const p of [s.selected, s.waitlisted, s.turnedDown]) {
    const [account] = await db
      .insert(user)
      .values({ id: randomBytes(16).toString('base64url'), name: p.name, email: p.email, emailVerified: true })
      .returning();
    const application = await createApplication(db, o.id, account!.id, {
      submittedAt: new Date(Date.now() - minutes-- * 60_000),
      accessNeeds: ['breaks'],
    });
    await db
      .insert(applicationAnswers)
      .values({ applicationId: application.id, questionId: question!.id, value: `I waited a year for my own care (${p.name}).` });
  }
}
