import { and, asc, count, desc, eq, gt, isNull, lt, max, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import type { NewReview, QuestionRow } from './reviews-repository.ts';
import { reviewQuestions, reviewRequests, reviewReviewers, reviews, reviewSections } from './tables.ts';

export type NewSection = Omit<typeof reviewSections.$inferInsert, 'reviewId' | 'position'>;
export type NewQuestion = Omit<typeof reviewQuestions.$inferInsert, 'reviewId' | 'position'>;
export type NewReviewer = typeof reviewReviewers.$inferInsert;

const first = <T>(rows: T[]) => rows[0] ?? null;
// Counted in a subquery on the review's row. The outer column is written out in full: inside a
// select list Drizzle names a column without its table, and "id" would then be the reviewer's own.
const reviewIdOuter = sql.raw('"reviews"."id"');
const inState = (state: string) =>
  sql<number>`(select count(*)::int from review_reviewers rr where rr.review_id = ${reviewIdOuter} and rr.state = ${state})`;

// The commissioning area's own queries (the shared ones are in reviews-repository.ts).
export function createCommissionRepository(db: Db) {
  return {
    // Every review for the staff list, newest deadline first, with how many reviewers are in each state.
    list: () =>
      db
        .select({
          review: reviews,
          invited: sql<number>`(select count(*)::int from review_reviewers rr where rr.review_id = ${reviewIdOuter})`,
          waiting: inState('invited'),
          accepted: inState('accepted'),
          declined: inState('declined'),
          submitted: inState('submitted'),
        })
        .from(reviews)
        .orderBy(desc(reviews.deadline), desc(reviews.id)),

    async insert(values: NewReview, tx: Tx) {
      const [row] = await tx.insert(reviews).values(values).returning();
      return row!;
    },

    // The document's sections are written whole: the old ones go (only ever while a draft, before
    // any reviewer could comment on them).
    async replaceSections(reviewId: number, sections: NewSection[], tx: Tx) {
      await tx.delete(reviewSections).where(eq(reviewSections.reviewId, reviewId));
      if (sections.length) await tx.insert(reviewSections).values(sections.map((s, i) => ({ ...s, reviewId, position: i + 1 })));
    },

    question: (reviewId: number, id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(reviewQuestions)
        .where(and(eq(reviewQuestions.reviewId, reviewId), eq(reviewQuestions.id, id)))
        .then(first),

    async addQuestion(reviewId: number, q: NewQuestion, tx: Tx) {
      const [last] = await tx
        .select({ n: max(reviewQuestions.position) })
        .from(reviewQuestions)
        .where(eq(reviewQuestions.reviewId, reviewId));
      const [row] = await tx
        .insert(reviewQuestions)
        .values({ ...q, reviewId, position: (last?.n ?? 0) + 1 })
        .returning();
      return row!;
    },

    async removeQuestion(id: number, tx: Tx) {
      await tx.delete(reviewQuestions).where(eq(reviewQuestions.id, id));
    },

    // Swaps a question with its neighbour; false when it is already first (or last).
    async moveQuestion(q: QuestionRow, direction: 'up' | 'down', tx: Tx) {
      const neighbour = await tx
        .select()
        .from(reviewQuestions)
        .where(
          and(
            eq(reviewQuestions.reviewId, q.reviewId),
            direction === 'up' ? lt(reviewQuestions.position, q.position) : gt(reviewQuestions.position, q.position),
          ),
        )
        .orderBy(direction === 'up' ? desc(reviewQuestions.position) : asc(reviewQuestions.position))
        .limit(1)
        .then(first);
      if (!neighbour) return false;
      await tx.update(reviewQuestions).set({ position: neighbour.position }).where(eq(reviewQuestions.id, q.id));
      await tx.update(reviewQuestions).set({ position: q.position }).where(eq(reviewQuestions.id, neighbour.id));
      return true;
    },

    // New reviewers only: someone already invited to the review keeps their row (and state).
    addReviewers: (rows: NewReviewer[], tx: Tx) =>
      rows.length ? tx.insert(reviewReviewers).values(rows).onConflictDoNothing().returning() : Promise.resolve([]),

    // The reviewers with their names and addresses, for the staff page and emails.
    reviewersWithPeople: (reviewId: number, runner: Db | Tx = db) =>
      runner
        .select({ reviewer: reviewReviewers, name: user.name, email: user.email })
        .from(reviewReviewers)
        .innerJoin(user, eq(user.id, reviewReviewers.userId))
        .where(eq(reviewReviewers.reviewId, reviewId))
        .orderBy(asc(user.name), asc(reviewReviewers.id)),

    requestsOf: (reviewId: number) =>
      db
        .select({ request: reviewRequests, name: user.name })
        .from(reviewRequests)
        .innerJoin(reviewReviewers, eq(reviewReviewers.id, reviewRequests.reviewerId))
        .innerJoin(user, eq(user.id, reviewReviewers.userId))
        .where(eq(reviewReviewers.reviewId, reviewId))
        .orderBy(asc(reviewRequests.createdAt), asc(reviewRequests.id)),

    requestOf: (reviewId: number, id: number, runner: Db | Tx = db) =>
      runner
        .select({ request: reviewRequests })
        .from(reviewRequests)
        .innerJoin(reviewReviewers, eq(reviewReviewers.id, reviewRequests.reviewerId))
        .where(and(eq(reviewReviewers.reviewId, reviewId), eq(reviewRequests.id, id)))
        .then((rows) => rows[0]?.request ?? null),

    async markHandled(id: number, by: string, note: string | null, tx: Tx) {
      const rows = await tx
        .update(reviewRequests)
        .set({ handledAt: new Date(), handledBy: by, handledNote: note })
        .where(and(eq(reviewRequests.id, id), isNull(reviewRequests.handledAt)))
        .returning({ id: reviewRequests.id });
      return rows.length > 0;
    },

    unhandledRequests: async () =>
      (await db.select({ n: count() }).from(reviewRequests).where(isNull(reviewRequests.handledAt)))[0]?.n ?? 0,

    // Reminders already sent go again after the deadline moves later (the reviewing area sends them).
    async rearmReminders(reviewId: number, tx: Tx) {
      await tx.update(reviewReviewers).set({ remindersSent: [] }).where(eq(reviewReviewers.reviewId, reviewId));
    },
  };
}
export type CommissionRepository = ReturnType<typeof createCommissionRepository>;
