import { and, count, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { reviewComments, reviewReviewers, reviews } from './tables.ts';

// What the accountability feature's "you said, we did" log needs of a review whose summary is
// published, to start an entry in one step: its title, the summary's address and words, how many
// commented, and its group. Each read takes the caller's runner so the demo can use it in the seed's
// transaction.
export type ReviewSaidDidDraft = {
  id: number;
  title: string;
  path: string;
  summaryMarkdown: string;
  commentCount: number;
  reviewerCount: number;
  groupId: number | null;
  publishedAt: Date;
};

export function createReviewSaidDid(db: Db) {
  return {
    // null: no such review, or its summary is not published.
    async saidDidDraft(reviewId: number, runner: Db | Tx = db): Promise<ReviewSaidDidDraft | null> {
      const [review] = await runner.select().from(reviews).where(eq(reviews.id, reviewId));
      if (!review?.summaryPublishedAt) return null;
      const [[comments], [reviewers]] = await Promise.all([
        runner.select({ n: count() }).from(reviewComments).where(eq(reviewComments.reviewId, reviewId)),
        runner
          .select({ n: count() })
          .from(reviewReviewers)
          .where(and(eq(reviewReviewers.reviewId, reviewId), eq(reviewReviewers.state, 'submitted'))),
      ]);
      return {
        id: review.id,
        title: review.title,
        path: `/reviews/${review.id}/summary`,
        summaryMarkdown: review.summaryMarkdown ?? '',
        commentCount: comments?.n ?? 0,
        reviewerCount: reviewers?.n ?? 0,
        groupId: review.groupId,
        publishedAt: review.summaryPublishedAt,
      };
    },

    // The ids and titles of reviews with a published summary, newest first, in the caller's runner.
    publishedSummaryIds: (runner: Db | Tx = db) =>
      runner
        .select({ id: reviews.id, title: reviews.title })
        .from(reviews)
        .where(isNotNull(reviews.summaryPublishedAt))
        .orderBy(desc(reviews.summaryPublishedAt), desc(reviews.id)),
  };
}
