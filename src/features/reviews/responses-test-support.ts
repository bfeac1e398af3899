import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Db } from '#src/db/client.ts';
import { Browser, type TestApp } from '#tests/helpers/app.ts';
import { reviewAnswers, reviewComments, reviewQuestions, reviewReviewers, reviews, reviewSections } from './tables.ts';

// Reviews, their sections, questions, reviewers, answers and comments straight into the tables (the
// commissioning and reviewing areas are built beside this one); override any field.

export async function insertReview(db: Db, over: Partial<typeof reviews.$inferInsert> = {}) {
  const [row] = await db
    .insert(reviews)
    .values({
      title: `Draft report on stroke rehabilitation ${randomBytes(3).toString('hex')}`,
      kind: 'research-report',
      source: 'markdown',
      deadline: new Date(Date.now() + 14 * 86_400_000),
      state: 'open',
      openedAt: new Date(),
      ...over,
    })
    .returning();
  return row!;
}

export async function insertSections(db: Db, reviewId: number, headings: string[]) {
  return db
    .insert(reviewSections)
    .values(
      headings.map((heading, i) => ({
        reviewId,
        position: i + 1,
        heading,
        bodyMarkdown: `About ${heading}.`,
        bodyHtml: `<p>About ${heading}.</p>`,
      })),
    )
    .returning();
}

export async function insertQuestion(
  db: Db,
  reviewId: number,
  over: Partial<typeof reviewQuestions.$inferInsert> & Pick<typeof reviewQuestions.$inferInsert, 'kind' | 'label'>,
) {
  const [row] = await db
    .insert(reviewQuestions)
    .values({ reviewId, position: 1, ...over })
    .returning();
  return row!;
}

export async function insertReviewer(db: Db, reviewId: number, userId: string, over: Partial<typeof reviewReviewers.$inferInsert> = {}) {
  const submitted = (over.state ?? 'submitted') === 'submitted';
  const [row] = await db
    .insert(reviewReviewers)
    .values({
      reviewId,
      userId,
      state: 'submitted',
      tokenHash: randomBytes(16).toString('hex'),
      respondedAt: new Date(),
      submittedAt: submitted ? new Date() : null,
      ...over,
    })
    .returning();
  return row!;
}

export async function insertComment(db: Db, reviewId: number, sectionId: number, reviewerId: number, body: string) {
  const [row] = await db.insert(reviewComments).values({ reviewId, sectionId, reviewerId, body }).returning();
  return row!;
}

export async function insertAnswer(db: Db, reviewerId: number, questionId: number, answer: { text?: string; values?: string[] }) {
  await db.insert(reviewAnswers).values({ reviewerId, questionId, text: answer.text ?? null, values: answer.values ?? [] });
}

// A contributor with a password, signed in on their own form (no email round trip needed).
export async function signedInContributor(app: TestApp['app'], name: string) {
  const ctx = await app.auth.$context;
  const email = `reviewer-${randomBytes(5).toString('hex')}@example.net`;
  const password = 'a long contributor password';
  const user = await ctx.internalAdapter.createUser({ email, name, emailVerified: true, role: 'contributor' }, { method: 'admin' });
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: 'credential',
    accountId: user.id,
    password: await ctx.password.hash(password),
  });
  const browser = new Browser(app);
  const res = await browser.submit('/sign-in/password', '/sign-in/password', { email, password });
  expect(res.statusCode).toBe(303);
  return { browser, id: user.id, email, name };
}

// A review of a report with three sections, a rating question, a yes/no, a choice and a text
// question, and three submitted reviewers with comments and answers, plus one still working.
export async function reviewWithComments(db: Db, people: { id: string }[]) {
  const review = await insertReview(db);
  const [intro, method, findings] = await insertSections(db, review.id, ['Introduction', 'Method', 'Findings']);
  const rating = await insertQuestion(db, review.id, {
    kind: 'rating',
    label: 'How clear is the report?',
    options: ['Very unclear', 'Unclear', 'Neither', 'Clear', 'Very clear'],
    position: 1,
  });
  const yesNo = await insertQuestion(db, review.id, { kind: 'yes-no', label: 'Would you share it with a friend?', position: 2 });
  const choice = await insertQuestion(db, review.id, {
    kind: 'multiple-choice',
    label: 'Which parts were hard to follow?',
    options: ['Tables', 'Words', 'Charts'],
    position: 3,
  });
  const words = await insertQuestion(db, review.id, { kind: 'long-text', label: 'Anything else?', position: 4 });
  const reviewers = [];
  for (const [i, p] of people.entries()) reviewers.push(await insertReviewer(db, review.id, p.id, { language: i === 1 ? 'cy' : 'en' }));
  return {
    review,
    sections: { intro: intro!, method: method!, findings: findings! },
    questions: { rating, yesNo, choice, words },
    reviewers,
  };
}
