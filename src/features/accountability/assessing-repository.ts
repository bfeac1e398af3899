import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { assessmentContributorViews, assessmentParticipants, assessmentRounds, standards } from './tables.ts';

export type RoundRow = typeof assessmentRounds.$inferSelect;
export type StandardRow = typeof standards.$inferSelect;
export type ParticipantRow = typeof assessmentParticipants.$inferSelect;
export type ContributorViewRow = typeof assessmentContributorViews.$inferSelect;
export type ViewValues = { standardId: number; rating: ContributorViewRow['rating']; comment: string | null };

// The queries of contributors co-assessing a round: invitations, their views, and the rounds and
// standards those hang on.
export function createAssessingRepository(db: Db) {
  return {
    async roundById(id: number): Promise<RoundRow | null> {
      const [row] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.id, id));
      return row ?? null;
    },
    async roundBySlug(slug: string): Promise<RoundRow | null> {
      const [row] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.slug, slug));
      return row ?? null;
    },
    standardsOf: (frameworkId: number) =>
      db.select().from(standards).where(eq(standards.frameworkId, frameworkId)).orderBy(asc(standards.position), asc(standards.id)),

    async setCloseOn(roundId: number, closeOn: string, tx: Tx) {
      await tx
        .update(assessmentRounds)
        .set({ contributorsCloseOn: closeOn, updatedAt: new Date() })
        .where(eq(assessmentRounds.id, roundId));
    },
    // Someone already invited keeps their invitation (and is not emailed again).
    addParticipants: (rows: { roundId: number; userId: string; language: string }[], tx: Tx) =>
      rows.length ? tx.insert(assessmentParticipants).values(rows).onConflictDoNothing().returning() : Promise.resolve([]),
    participantsOf: (roundId: number) =>
      db
        .select()
        .from(assessmentParticipants)
        .where(eq(assessmentParticipants.roundId, roundId))
        .orderBy(asc(assessmentParticipants.invitedAt)),
    async participant(roundId: number, userId: string): Promise<ParticipantRow | null> {
      const [row] = await db
        .select()
        .from(assessmentParticipants)
        .where(and(eq(assessmentParticipants.roundId, roundId), eq(assessmentParticipants.userId, userId)));
      return row ?? null;
    },
    markSent: (participantId: number, tx: Tx) =>
      tx.update(assessmentParticipants).set({ submittedAt: new Date() }).where(eq(assessmentParticipants.id, participantId)),

    viewsOf: (roundId: number, userId: string) =>
      db
        .select()
        .from(assessmentContributorViews)
        .where(and(eq(assessmentContributorViews.roundId, roundId), eq(assessmentContributorViews.userId, userId))),
    // The person's views replace what they had: a standard left blank has no view.
    async replaceViews(roundId: number, userId: string, views: ViewValues[], tx: Tx) {
      await tx
        .delete(assessmentContributorViews)
        .where(and(eq(assessmentContributorViews.roundId, roundId), eq(assessmentContributorViews.userId, userId)));
      if (views.length) await tx.insert(assessmentContributorViews).values(views.map((v) => ({ ...v, roundId, userId })));
    },
    // Views of people who sent theirs, without who gave them.
    submittedViews: (roundId: number) =>
      db
        .select({
          standardId: assessmentContributorViews.standardId,
          rating: assessmentContributorViews.rating,
          comment: assessmentContributorViews.comment,
        })
        .from(assessmentContributorViews)
        .innerJoin(
          assessmentParticipants,
          and(
            eq(assessmentParticipants.roundId, assessmentContributorViews.roundId),
            eq(assessmentParticipants.userId, assessmentContributorViews.userId),
          ),
        )
        .where(and(eq(assessmentContributorViews.roundId, roundId), isNotNull(assessmentParticipants.submittedAt)))
        .orderBy(asc(assessmentContributorViews.updatedAt), asc(assessmentContributorViews.id)),

    // The rounds a person was invited to, newest first.
    roundsOf: (userId: string) =>
      db
        .select({ round: assessmentRounds, participant: assessmentParticipants })
        .from(assessmentParticipants)
        .innerJoin(assessmentRounds, eq(assessmentRounds.id, assessmentParticipants.roundId))
        .where(eq(assessmentParticipants.userId, userId))
        .orderBy(desc(assessmentParticipants.invitedAt)),
    allViewsOf: (userId: string) => db.select().from(assessmentContributorViews).where(eq(assessmentContributorViews.userId, userId)),
    standardsByIds: (ids: number[]) => (ids.length ? db.select().from(standards).where(inArray(standards.id, ids)) : Promise.resolve([])),
  };
}
export type AssessingRepository = ReturnType<typeof createAssessingRepository>;
