import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { reviewQuestions, reviewReviewers, reviews, reviewSections } from './tables.ts';

export type ReviewRow = typeof reviews.$inferSelect;
export type NewReview = typeof reviews.$inferInsert;
export type SectionRow = typeof reviewSections.$inferSelect;
export type QuestionRow = typeof reviewQuestions.$inferSelect;
export type ReviewerRow = typeof reviewReviewers.$inferSelect;

const first = <T>(rows: T[]) => rows[0] ?? null;

// The queries every area of reviews shares; each area keeps its further queries in its own file.
export function createReviewsRepository(db: Db) {
  return {
    byId: (id: number, runner: Db | Tx = db) => runner.select().from(reviews).where(eq(reviews.id, id)).then(first),

    sections: (reviewId: number, runner: Db | Tx = db) =>
      runner.select().from(reviewSections).where(eq(reviewSections.reviewId, reviewId)).orderBy(asc(reviewSections.position)),

    questions: (reviewId: number, runner: Db | Tx = db) =>
      runner.select().from(reviewQuestions).where(eq(reviewQuestions.reviewId, reviewId)).orderBy(asc(reviewQuestions.position)),

    reviewers: (reviewId: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(reviewReviewers)
        .where(eq(reviewReviewers.reviewId, reviewId))
        .orderBy(asc(reviewReviewers.invitedAt), asc(reviewReviewers.id)),

    // This person's invitation to this review, if any.
    reviewerFor: (reviewId: number, userId: string, runner: Db | Tx = db) =>
      runner
        .select()
        .from(reviewReviewers)
        .where(and(eq(reviewReviewers.reviewId, reviewId), eq(reviewReviewers.userId, userId)))
        .then(first),

    reviewerByTokenHash: (tokenHash: string, runner: Db | Tx = db) =>
      runner.select().from(reviewReviewers).where(eq(reviewReviewers.tokenHash, tokenHash)).then(first),

    async updateReview(id: number, changes: Partial<NewReview>, runner: Db | Tx = db) {
      await runner
        .update(reviews)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(reviews.id, id));
    },

    async updateReviewer(id: number, changes: Partial<typeof reviewReviewers.$inferInsert>, runner: Db | Tx = db) {
      await runner.update(reviewReviewers).set(changes).where(eq(reviewReviewers.id, id));
    },
  };
}
export type ReviewsRepository = ReturnType<typeof createReviewsRepository>;
