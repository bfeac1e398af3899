import { randomBytes } from 'node:crypto';
import type { Db } from '#src/db/client.ts';
import { reviewQuestions, reviewReviewers, reviews, reviewSections } from './tables.ts';

// Reviews, sections, questions and reviewers straight into the tables, for every area's tests
// (each area's own forms are tested on their own). Override any field.
let counter = 0;
const day = 86_400_000;

// An open review of a Markdown report, due in ten days at 5pm (London, winter) unless told.
export async function createReview(db: Db, over: Partial<typeof reviews.$inferInsert> = {}) {
  const deadline = new Date(Math.ceil((Date.now() + 10 * day) / day) * day + 17 * 3_600_000);
  const [row] = await db
    .insert(reviews)
    .values({
      title: `Draft report on waiting times ${++counter}`,
      kind: 'research-report',
      briefMarkdown: 'Tell us whether the report is clear.',
      briefHtml: '<p>Tell us whether the report is clear.</p>',
      source: 'markdown',
      deadline,
      state: 'open',
      openedAt: new Date(),
      activityKind: 'review',
      estimatedMinutes: 120,
      ...over,
    })
    .returning();
  return row!;
}

export async function addSection(db: Db, reviewId: number, over: Partial<typeof reviewSections.$inferInsert> = {}) {
  const n = ++counter;
  const heading = over.heading ?? `Section ${n}`;
  const [row] = await db
    .insert(reviewSections)
    .values({
      reviewId,
      position: n,
      heading,
      bodyMarkdown: `Text of ${heading}.`,
      bodyHtml: `<p>Text of ${heading}.</p>`,
      ...over,
    })
    .returning();
  return row!;
}

export async function addQuestion(db: Db, reviewId: number, over: Partial<typeof reviewQuestions.$inferInsert> = {}) {
  const [row] = await db
    .insert(reviewQuestions)
    .values({ reviewId, position: ++counter, kind: 'short-text', label: `Question ${counter}`, ...over })
    .returning();
  return row!;
}

// A person invited to a review, in the state asked for (the times that state implies are set).
export async function inviteReviewer(
  db: Db,
  reviewId: number,
  userId: string,
  state: (typeof reviewReviewers.$inferInsert)['state'] = 'invited',
  over: Partial<typeof reviewReviewers.$inferInsert> = {},
) {
  const now = new Date();
  const [row] = await db
    .insert(reviewReviewers)
    .values({
      reviewId,
      userId,
      state,
      tokenHash: randomBytes(32).toString('hex'),
      respondedAt: state === 'invited' ? null : now,
      submittedAt: state === 'submitted' ? now : null,
      ...over,
    })
    .returning();
  return row!;
}
