import { and, asc, count, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { applicationAnswers, applicationReviews, applications, opportunities, type selectionStates } from './tables.ts';
import { opportunityById, questionsOf } from './reads.ts';

export type SelectionState = (typeof selectionStates)[number];
export type ApplicationFilter = { selection?: SelectionState; withdrawn?: boolean; untold?: boolean };

// What staff read when selecting: applications that were sent (drafts are the applicant's own
// until they submit), with the applicant's name, and each reviewer's score and notes.
export function createSelectionRepository(db: Db) {
  const sent = (opportunityId: number) => and(eq(applications.opportunityId, opportunityId), ne(applications.state, 'draft'));
  // On the waiting list and not yet offered a place.
  const waitingList = (opportunityId: number) =>
    and(
      eq(applications.opportunityId, opportunityId),
      eq(applications.state, 'submitted'),
      eq(applications.selection, 'waitlisted'),
      isNull(applications.offeredAt),
    );
  const filtered = (opportunityId: number, f: ApplicationFilter): SQL | undefined =>
    and(
      sent(opportunityId),
      f.selection ? eq(applications.selection, f.selection) : undefined,
      f.withdrawn === undefined ? undefined : f.withdrawn ? eq(applications.state, 'withdrawn') : eq(applications.state, 'submitted'),
      f.untold ? isNull(applications.outcomeSentAt) : undefined,
    );

  return {
    opportunity: (id: number) => opportunityById(db, id),

    questions: (opportunityId: number) => questionsOf(db, opportunityId),

    // One page of applications, oldest first (the order they came in), with the mean score and
    // whether `reviewerId` has scored each one (blind scoring shows others' scores only then). The
    // scores are read for the page's rows only, so a late page costs what the first does.
    async page(opportunityId: number, f: ApplicationFilter, reviewerId: string, offset: number, limit: number) {
      const where = filtered(opportunityId, f);
      const [rows, [total]] = await Promise.all([
        db
          .select({
            id: applications.id,
            userId: applications.userId,
            name: user.name,
            state: applications.state,
            selection: applications.selection,
            submittedAt: applications.submittedAt,
            outcomeSentAt: applications.outcomeSentAt,
          })
          .from(applications)
          .innerJoin(user, eq(user.id, applications.userId))
          .where(where)
          .orderBy(asc(applications.submittedAt), asc(applications.id))
          .offset(offset)
          .limit(limit),
        db.select({ n: count() }).from(applications).where(where),
      ]);
      const scores = rows.length
        ? await db
            .select({
              applicationId: applicationReviews.applicationId,
              meanScore: sql<string | null>`avg(${applicationReviews.score})`,
              scored: sql<boolean>`bool_or(${applicationReviews.reviewerId} = ${reviewerId} and ${applicationReviews.score} is not null)`,
            })
            .from(applicationReviews)
            .where(
              inArray(
                applicationReviews.applicationId,
                rows.map((r) => r.id),
              ),
            )
            .groupBy(applicationReviews.applicationId)
        : [];
      const byId = new Map(scores.map((s) => [s.applicationId, s]));
      return {
        rows: rows.map((r) => ({ ...r, meanScore: byId.get(r.id)?.meanScore ?? null, scored: byId.get(r.id)?.scored ?? false })),
        total: total?.n ?? 0,
      };
    },

    // How many sent applications are in each selection state, and how many were not yet told.
    async counts(opportunityId: number) {
      const rows = await db
        .select({
          selection: applications.selection,
          state: applications.state,
          n: count(),
          untold: sql<number>`count(*) filter (where ${applications.outcomeSentAt} is null)`,
        })
        .from(applications)
        .where(sent(opportunityId))
        .groupBy(applications.selection, applications.state);
      return rows.map((r) => ({ ...r, untold: Number(r.untold) }));
    },

    async application(opportunityId: number, applicationId: number) {
      const [row] = await db
        .select({ application: applications, name: user.name, email: user.email })
        .from(applications)
        .innerJoin(user, eq(user.id, applications.userId))
        .where(and(eq(applications.id, applicationId), sent(opportunityId)));
      return row ?? null;
    },

    answers: (applicationId: number) => db.select().from(applicationAnswers).where(eq(applicationAnswers.applicationId, applicationId)),

    reviews: (applicationId: number) =>
      db
        .select({
          reviewerId: applicationReviews.reviewerId,
          name: user.name,
          score: applicationReviews.score,
          notes: applicationReviews.notes,
          updatedAt: applicationReviews.updatedAt,
        })
        .from(applicationReviews)
        .innerJoin(user, eq(user.id, applicationReviews.reviewerId))
        .where(eq(applicationReviews.applicationId, applicationId))
        .orderBy(asc(applicationReviews.createdAt)),

    async saveReview(row: { applicationId: number; reviewerId: string; score: number | null; notes: string | null }, runner: Db | Tx = db) {
      await runner
        .insert(applicationReviews)
        .values(row)
        .onConflictDoUpdate({
          target: [applicationReviews.applicationId, applicationReviews.reviewerId],
          set: { score: row.score, notes: row.notes, updatedAt: new Date() },
        });
    },

    async setSelection(applicationId: number, selection: SelectionState, runner: Db | Tx = db) {
      await runner.update(applications).set({ selection, updatedAt: new Date() }).where(eq(applications.id, applicationId));
    },

    async setFeedback(applicationId: number, feedback: string | null, runner: Db | Tx = db) {
      await runner.update(applications).set({ feedback, updatedAt: new Date() }).where(eq(applications.id, applicationId));
    },

    // Those still waiting for an answer once selection is done: sent, not withdrawn, not told.
    untold: (opportunityId: number, runner: Db | Tx = db) =>
      runner
        .select({ application: applications, name: user.name, email: user.email })
        .from(applications)
        .innerJoin(user, eq(user.id, applications.userId))
        .where(and(eq(applications.opportunityId, opportunityId), eq(applications.state, 'submitted'), isNull(applications.outcomeSentAt))),

    async markTold(ids: number[], at: Date, runner: Db | Tx = db) {
      if (ids.length)
        await runner
          .update(applications)
          .set({ outcomeSentAt: at })
          .where(and(inArray(applications.id, ids), isNull(applications.outcomeSentAt)));
    },

    // How many are on the waiting list and not yet offered a place (the list page's button): a
    // count, not the rows, however long the list.
    async waitingForOfferCount(opportunityId: number) {
      const [row] = await db.select({ n: count() }).from(applications).where(waitingList(opportunityId));
      return row?.n ?? 0;
    },

    // The waiting list in the order people applied, leaving out anyone already offered a place.
    waitingForOffer: (opportunityId: number, limit = 1000) =>
      db
        .select({ application: applications, name: user.name, email: user.email })
        .from(applications)
        .innerJoin(user, eq(user.id, applications.userId))
        .where(waitingList(opportunityId))
        .orderBy(asc(applications.submittedAt), asc(applications.id))
        .limit(limit),

    async offered(applicationId: number) {
      const [row] = await db
        .select({
          application: applications,
          title: opportunities.title,
          translations: opportunities.translations,
          slug: opportunities.slug,
        })
        .from(applications)
        .innerJoin(opportunities, eq(opportunities.id, applications.opportunityId))
        .where(eq(applications.id, applicationId));
      return row ?? null;
    },

    async markOffered(applicationId: number, at: Date, expiresAt: Date, runner: Db | Tx = db) {
      await runner
        .update(applications)
        .set({ offeredAt: at, offerExpiresAt: expiresAt, offerResponse: null, offerRespondedAt: null, updatedAt: at })
        .where(eq(applications.id, applicationId));
    },

    // Only an open offer is answered, once: a second press or a race changes nothing.
    async answerOffer(applicationId: number, response: 'accepted' | 'declined', at: Date, runner: Db | Tx = db) {
      await runner
        .update(applications)
        .set({
          offerResponse: response,
          offerRespondedAt: at,
          updatedAt: at,
          ...(response === 'accepted' ? { selection: 'selected' as const } : {}),
        })
        .where(and(eq(applications.id, applicationId), isNull(applications.offerResponse)));
    },

    // The people in each group, for the fair selection view (never shown one by one).
    async userIdsBySelection(opportunityId: number) {
      return db
        .select({ userId: applications.userId, selection: applications.selection })
        .from(applications)
        .where(and(eq(applications.opportunityId, opportunityId), eq(applications.state, 'submitted')));
    },
  };
}

export type SelectionRepository = ReturnType<typeof createSelectionRepository>;
