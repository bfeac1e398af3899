import { and, asc, count, desc, eq, isNotNull, isNull, or } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { reviewAnswers, reviewComments, reviewResponses, reviewReviewers, reviews, reviewSections } from './tables.ts';

export type ResponseRow = typeof reviewResponses.$inferSelect;
export type NewResponse = typeof reviewResponses.$inferInsert;
export type AnswerRow = typeof reviewAnswers.$inferSelect;

// The comments that count: those of reviewers who have submitted, and those kept without a name
// after a reviewer deleted their account. Drafts of people still working are nobody's business yet.
const counted = or(isNull(reviewComments.reviewerId), eq(reviewReviewers.state, 'submitted'));

const commentFields = {
  id: reviewComments.id,
  reviewId: reviewComments.reviewId,
  sectionId: reviewComments.sectionId,
  reviewerId: reviewComments.reviewerId,
  body: reviewComments.body,
  createdAt: reviewComments.createdAt,
  heading: reviewSections.heading,
  position: reviewSections.position,
  userId: reviewReviewers.userId,
  response: reviewResponses,
};
export type CollatedComment = {
  id: number;
  reviewId: number;
  sectionId: number;
  reviewerId: number | null;
  body: string;
  createdAt: Date;
  heading: string;
  position: number;
  userId: string | null;
  response: ResponseRow | null;
};

// Collating, responding and the public summary: the queries of the responses area.
export function createResponsesRepository(db: Db) {
  const comments = (runner: Db | Tx) =>
    runner
      .select(commentFields)
      .from(reviewComments)
      .innerJoin(reviewSections, eq(reviewSections.id, reviewComments.sectionId))
      .leftJoin(reviewReviewers, eq(reviewReviewers.id, reviewComments.reviewerId))
      .leftJoin(reviewResponses, eq(reviewResponses.commentId, reviewComments.id));

  return {
    // Every counted comment of a review, in the document's order, with the response to it.
    commentsOf: (reviewId: number, runner: Db | Tx = db): Promise<CollatedComment[]> =>
      comments(runner)
        .where(and(eq(reviewComments.reviewId, reviewId), counted))
        .orderBy(asc(reviewSections.position), asc(reviewComments.id)),

    // One counted comment, only if it belongs to this review.
    commentIn: (reviewId: number, commentId: number, runner: Db | Tx = db): Promise<CollatedComment | null> =>
      comments(runner)
        .where(and(eq(reviewComments.id, commentId), eq(reviewComments.reviewId, reviewId), counted))
        .then((rows) => rows[0] ?? null),

    // One reviewer's comments, in the document's order.
    commentsOfReviewer: (reviewerId: number, runner: Db | Tx = db): Promise<CollatedComment[]> =>
      comments(runner).where(eq(reviewComments.reviewerId, reviewerId)).orderBy(asc(reviewSections.position), asc(reviewComments.id)),

    // The answers of the reviewers of this review who have submitted.
    answersOf: (reviewId: number, runner: Db | Tx = db): Promise<AnswerRow[]> =>
      runner
        .select({
          reviewerId: reviewAnswers.reviewerId,
          questionId: reviewAnswers.questionId,
          text: reviewAnswers.text,
          values: reviewAnswers.values,
          updatedAt: reviewAnswers.updatedAt,
        })
        .from(reviewAnswers)
        .innerJoin(reviewReviewers, eq(reviewReviewers.id, reviewAnswers.reviewerId))
        .where(and(eq(reviewReviewers.reviewId, reviewId), eq(reviewReviewers.state, 'submitted')))
        .orderBy(asc(reviewAnswers.reviewerId), asc(reviewAnswers.questionId)),

    async saveResponse(row: NewResponse & { respondedAt: Date }, runner: Db | Tx = db) {
      await runner
        .insert(reviewResponses)
        .values(row)
        .onConflictDoUpdate({
          target: reviewResponses.commentId,
          set: { outcome: row.outcome, reason: row.reason, respondedBy: row.respondedBy, respondedAt: row.respondedAt },
        });
    },

    // Published summaries, newest first.
    publishedSummaries: () =>
      db
        .select({ id: reviews.id, title: reviews.title, kind: reviews.kind, publishedAt: reviews.summaryPublishedAt })
        .from(reviews)
        .where(isNotNull(reviews.summaryPublishedAt))
        .orderBy(desc(reviews.summaryPublishedAt), desc(reviews.id)),

    // Counted comments on any review that nobody has answered yet.
    async unansweredCount(): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(reviewComments)
        .leftJoin(reviewReviewers, eq(reviewReviewers.id, reviewComments.reviewerId))
        .leftJoin(reviewResponses, eq(reviewResponses.commentId, reviewComments.id))
        .where(and(counted, isNull(reviewResponses.commentId)));
      return row?.n ?? 0;
    },
  };
}
export type ResponsesRepository = ReturnType<typeof createResponsesRepository>;
