import type { Db } from '#src/db/client.ts';
import { applications, opportunities, opportunityQuestions } from './tables.ts';

let counter = 0;
type NewOpportunity = typeof opportunities.$inferInsert;
type NewQuestion = Omit<typeof opportunityQuestions.$inferInsert, 'opportunityId' | 'position'>;

// An open opportunity closing in two weeks, with the fields an advert must state; override any.
export async function createOpportunity(db: Db, over: Partial<NewOpportunity> = {}, questions: NewQuestion[] = []) {
  counter++;
  const suffix = `${counter}-${Math.random().toString(36).slice(2, 7)}`;
  const [row] = await db
    .insert(opportunities)
    .values({
      slug: `test-opportunity-${suffix}`,
      type: 'peer-review',
      status: 'open',
      title: `Review our report on waiting times ${suffix}`,
      summary: 'Read a draft report and tell us what is unclear.',
      roleMarkdown: 'You will read the draft and send us comments.',
      roleHtml: '<p>You will read the draft and send us comments.</p>',
      involvedMarkdown: 'About three hours of reading, once, over two weeks.',
      involvedHtml: '<p>About three hours of reading, once, over two weeks.</p>',
      timeCommitment: 'About 3 hours in total',
      mode: 'online',
      paid: true,
      feePence: 2500,
      feeUnit: 'hour',
      places: 3,
      closesAt: new Date(Date.now() + 14 * 24 * 3600_000),
      publishedAt: new Date(),
      contactName: 'Indira Involvement',
      contactEmail: 'involvement@example.org',
      ...over,
    })
    .returning();
  if (questions.length) {
    await db.insert(opportunityQuestions).values(questions.map((q, position) => ({ ...q, opportunityId: row!.id, position })));
  }
  return row!;
}

// A submitted application by an existing account; override any field.
export async function createApplication(
  db: Db,
  opportunityId: number,
  userId: string,
  over: Partial<typeof applications.$inferInsert> = {},
) {
  const [row] = await db
    .insert(applications)
    .values({ opportunityId, userId, state: 'submitted', submittedAt: new Date(), ...over })
    .returning();
  return row!;
}
