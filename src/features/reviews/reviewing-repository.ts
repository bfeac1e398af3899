import { and, asc, count, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { reviewAnswers, reviewComments, reviewQuestions, reviewRequests, reviewReviewers, reviews, reviewSections } from './tables.ts';

export type CommentRow = typeof reviewComments.$inferSelect;
export type AnswerRow = typeof reviewAnswers.$inferSelect;
export type RequestRow = typeof reviewRequests.$inferSelect;
export type AnswerValue = { text: string | null; values: string[] };

// The reviewer's own queries: their invitations, section comments, answers and requests, and the
// reviewers a reminder is due to. Shared queries are in reviews-repository.ts.
export function createReviewingRepository(db: Db) {
  return {
    // Every review this person was invited to (never a draft), newest deadline first.
    mine: (userId: string) =>
      db
        .select({ review: reviews, reviewer: reviewReviewers })
        .from(reviewReviewers)
        .innerJoin(reviews, eq(reviews.id, reviewReviewers.reviewId))
        .where(and(eq(reviewReviewers.userId, userId), sql`${reviews.state} <> 'draft'`))
        .orderBy(desc(reviews.deadline), desc(reviews.id)),

    commentCounts: async (reviewerIds: number[]) => {
      if (!reviewerIds.length) return new Map<number, number>();
      const rows = await db
        .select({ reviewerId: reviewComments.reviewerId, n: count() })
        .from(reviewComments)
        .where(inArray(reviewComments.reviewerId, reviewerIds))
        .groupBy(reviewComments.reviewerId);
      return new Map(rows.map((r) => [r.reviewerId!, Number(r.n)]));
    },

    comments: (reviewerId: number, runner: Db | Tx = db) =>
      runner.select().from(reviewComments).where(eq(reviewComments.reviewerId, reviewerId)).orderBy(asc(reviewComments.sectionId)),

    // One comment per reviewer and section: written again, it replaces the last.
    async putComment(row: { reviewId: number; sectionId: number; reviewerId: number; body: string }, tx: Tx) {
      await tx
        .insert(reviewComments)
        .values(row)
        .onConflictDoUpdate({
          target: [reviewComments.reviewerId, reviewComments.sectionId],
          set: { body: row.body, updatedAt: new Date() },
        });
    },

    async removeComment(reviewerId: number, sectionId: number, tx: Tx) {
      await tx.delete(reviewComments).where(and(eq(reviewComments.reviewerId, reviewerId), eq(reviewComments.sectionId, sectionId)));
    },

    answers: (reviewerId: number, runner: Db | Tx = db) =>
      runner.select().from(reviewAnswers).where(eq(reviewAnswers.reviewerId, reviewerId)),

    // The whole form again: answers given are written, answers emptied are removed.
    async putAnswers(reviewerId: number, answers: Map<number, AnswerValue | null>, tx: Tx) {
      for (const [questionId, a] of answers) {
        if (!a) {
          await tx.delete(reviewAnswers).where(and(eq(reviewAnswers.reviewerId, reviewerId), eq(reviewAnswers.questionId, questionId)));
          continue;
        }
        await tx
          .insert(reviewAnswers)
          .values({ reviewerId, questionId, ...a })
          .onConflictDoUpdate({
            target: [reviewAnswers.reviewerId, reviewAnswers.questionId],
            set: { ...a, updatedAt: new Date() },
          });
      }
    },

    // Submitted, once: false when someone (a second tab) already did.
    async markSubmitted(reviewerId: number, at: Date, tx: Tx): Promise<boolean> {
      const rows = await tx
        .update(reviewReviewers)
        .set({ state: 'submitted', submittedAt: at, lastSavedAt: at })
        .where(and(eq(reviewReviewers.id, reviewerId), eq(reviewReviewers.state, 'accepted')))
        .returning({ id: reviewReviewers.id });
      return rows.length === 1;
    },

    submitted: (reviewId: number, tx: Db | Tx = db) =>
      tx
        .select()
        .from(reviewReviewers)
        .where(and(eq(reviewReviewers.reviewId, reviewId), eq(reviewReviewers.state, 'submitted')))
        .orderBy(asc(reviewReviewers.id)),

    // Locks the review while a reviewer submits, so a review staff close meanwhile takes none.
    lockReview: (id: number, tx: Tx) =>
      tx
        .select()
        .from(reviews)
        .where(eq(reviews.id, id))
        .for('update')
        .then((r) => r[0] ?? null),

    async addRequest(row: typeof reviewRequests.$inferInsert, tx: Tx) {
      const [saved] = await tx.insert(reviewRequests).values(row).returning();
      return saved!;
    },

    requests: (reviewerIds: number[]) =>
      reviewerIds.length
        ? db.select().from(reviewRequests).where(inArray(reviewRequests.reviewerId, reviewerIds)).orderBy(asc(reviewRequests.id))
        : Promise.resolve([] as RequestRow[]),

    // For "Download my data": the headings and questions their comments and answers belong to.
    sectionsOf: (reviewIds: number[]) =>
      reviewIds.length
        ? db.select().from(reviewSections).where(inArray(reviewSections.reviewId, reviewIds)).orderBy(asc(reviewSections.position))
        : Promise.resolve([]),
    questionsOf: (reviewIds: number[]) =>
      reviewIds.length
        ? db.select().from(reviewQuestions).where(inArray(reviewQuestions.reviewId, reviewIds)).orderBy(asc(reviewQuestions.position))
        : Promise.resolve([]),
    commentsOf: (reviewerIds: number[]) =>
      reviewerIds.length ? db.select().from(reviewComments).where(inArray(reviewComments.reviewerId, reviewerIds)) : Promise.resolve([]),
    answersOf: (reviewerIds: number[]) =>
      reviewerIds.length ? db.select().from(reviewAnswers).where(inArray(reviewAnswers.reviewerId, reviewerIds)) : Promise.resolve([]),

    // Accepted reviewers of open reviews whose deadline is still ahead but within `within` ms.
    dueSoon: (now: Date, within: number) =>
      db
        .select({ review: reviews, reviewer: reviewReviewers })
        .from(reviewReviewers)
        .innerJoin(reviews, eq(reviews.id, reviewReviewers.reviewId))
        .where(
          and(
            eq(reviews.state, 'open'),
            eq(reviewReviewers.state, 'accepted'),
            gt(reviews.deadline, now),
            lte(reviews.deadline, new Date(now.getTime() + within)),
          ),
        )
        .orderBy(asc(reviewReviewers.id)),

    // Notes a reminder as sent, once: false when it already was (another round, another instance).
    async noteReminder(reviewerId: number, mark: string, tx: Tx): Promise<boolean> {
      const rows = await tx
        .update(reviewReviewers)
        .set({ remindersSent: sql`${reviewReviewers.remindersSent} || ${JSON.stringify([mark])}::jsonb` })
        .where(and(eq(reviewReviewers.id, reviewerId), sql`not (${reviewReviewers.remindersSent} @> ${JSON.stringify([mark])}::jsonb)`))
        .returning({ id: reviewReviewers.id });
      return rows.length === 1;
    },
  };
}
export type ReviewingRepository = ReturnType<typeof createReviewingRepository>;
