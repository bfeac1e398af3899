import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm';
import { freeSlug } from '#src/db/slugs.ts';
import type { Db, Tx } from '#src/db/client.ts';
import {
  assessmentActions,
  assessmentEvidence,
  assessmentRatings,
  assessmentRounds,
  standardFrameworks,
  standards,
  type Rating,
} from './tables.ts';

export type FrameworkRow = typeof standardFrameworks.$inferSelect;
export type StandardRow = typeof standards.$inferSelect;
export type RoundRow = typeof assessmentRounds.$inferSelect;
export type RatingRow = typeof assessmentRatings.$inferSelect;
export type EvidenceRow = typeof assessmentEvidence.$inferSelect;
export type ActionRow = typeof assessmentActions.$inferSelect;

// Frameworks, their standards, and the rounds staff assess them in: Drizzle queries only.
export function createStandardsRepository(db: Db) {
  return {
    frameworks: (includeArchived = true) =>
      db
        .select()
        .from(standardFrameworks)
        .where(includeArchived ? undefined : isNull(standardFrameworks.archivedAt))
        .orderBy(asc(standardFrameworks.name), asc(standardFrameworks.id)),
    framework: async (id: number) => (await db.select().from(standardFrameworks).where(eq(standardFrameworks.id, id)))[0] ?? null,
    frameworkByKey: async (key: string, runner: Db | Tx = db) =>
      (await runner.select().from(standardFrameworks).where(eq(standardFrameworks.key, key)))[0] ?? null,
    async insertFramework(values: typeof standardFrameworks.$inferInsert) {
      const [row] = await db.insert(standardFrameworks).values(values).returning();
      return row!;
    },
    updateFramework: (id: number, values: Partial<typeof standardFrameworks.$inferInsert>) =>
      db.update(standardFrameworks).set(values).where(eq(standardFrameworks.id, id)),

    standardsOf: (frameworkId: number, runner: Db | Tx = db) =>
      runner.select().from(standards).where(eq(standards.frameworkId, frameworkId)).orderBy(asc(standards.position), asc(standards.id)),
    standardsOfMany: (frameworkIds: number[]) =>
      frameworkIds.length
        ? db
            .select()
            .from(standards)
            .where(inArray(standards.frameworkId, frameworkIds))
            .orderBy(asc(standards.position), asc(standards.id))
        : Promise.resolve([] as StandardRow[]),
    standard: async (frameworkId: number, id: number) =>
      (
        await db
          .select()
          .from(standards)
          .where(and(eq(standards.frameworkId, frameworkId), eq(standards.id, id)))
      )[0] ?? null,
    standardKeyTaken: async (frameworkId: number, key: string, exceptId = 0) =>
      (
        await db
          .select({ id: standards.id })
          .from(standards)
          .where(and(eq(standards.frameworkId, frameworkId), eq(standards.key, key), ne(standards.id, exceptId)))
      ).length > 0,
    async insertStandard(values: typeof standards.$inferInsert) {
      const [{ n }] = (await db
        .select({ n: sql<number>`coalesce(max(${standards.position}) + 1, 0)::int` })
        .from(standards)
        .where(eq(standards.frameworkId, values.frameworkId))) as [{ n: number }];
      const [row] = await db
        .insert(standards)
        .values({ ...values, position: n })
        .returning();
      return row!;
    },
    updateStandard: (id: number, values: Partial<typeof standards.$inferInsert>) =>
      db.update(standards).set(values).where(eq(standards.id, id)),

    rounds: () => db.select().from(assessmentRounds).orderBy(desc(assessmentRounds.periodEnd), desc(assessmentRounds.id)),
    round: async (id: number) => (await db.select().from(assessmentRounds).where(eq(assessmentRounds.id, id)))[0] ?? null,
    roundBySlug: async (slug: string) => (await db.select().from(assessmentRounds).where(eq(assessmentRounds.slug, slug)))[0] ?? null,
    publishedRounds: () =>
      db
        .select()
        .from(assessmentRounds)
        .where(and(isNotNull(assessmentRounds.publishedAt), eq(assessmentRounds.state, 'completed')))
        .orderBy(desc(assessmentRounds.periodEnd), desc(assessmentRounds.id)),
    // A round's slug: its title's, then -2, -3 … (unique among rounds).
    freeRoundSlug: (title: string, runner: Db | Tx = db) => freeSlug(runner, assessmentRounds, assessmentRounds.slug, title, 'round'),
    async insertRound(values: typeof assessmentRounds.$inferInsert, runner: Db | Tx = db) {
      const [row] = await runner.insert(assessmentRounds).values(values).returning();
      return row!;
    },
    updateRound: (id: number, values: Partial<typeof assessmentRounds.$inferInsert>, runner: Db | Tx = db) =>
      runner
        .update(assessmentRounds)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(assessmentRounds.id, id)),
    countOpen: async () =>
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(assessmentRounds)
          .where(eq(assessmentRounds.state, 'open'))
      )[0]!.n,

    // The completed round of the same framework just before this one (by the period it covers),
    // published only when asked (the public summary never shows an unpublished round's ratings).
    async previousRound(round: RoundRow, publishedOnly: boolean) {
      const [row] = await db
        .select()
        .from(assessmentRounds)
        .where(
          and(
            eq(assessmentRounds.frameworkId, round.frameworkId),
            eq(assessmentRounds.state, 'completed'),
            ne(assessmentRounds.id, round.id),
            lt(assessmentRounds.periodEnd, round.periodEnd),
            publishedOnly ? isNotNull(assessmentRounds.publishedAt) : undefined,
          ),
        )
        .orderBy(desc(assessmentRounds.periodEnd), desc(assessmentRounds.id))
        .limit(1);
      return row ?? null;
    },

    ratingsOf: (roundId: number, runner: Db | Tx = db) =>
      runner.select().from(assessmentRatings).where(eq(assessmentRatings.roundId, roundId)),
    async saveRating(
      values: {
        roundId: number;
        standardId: number;
        rating: Rating | null;
        narrativeMarkdown: string;
        narrativeHtml: string;
        updatedBy: string;
      },
      runner: Db | Tx = db,
    ) {
      const { rating, narrativeMarkdown, narrativeHtml, updatedBy } = values;
      await runner
        .insert(assessmentRatings)
        .values(values)
        .onConflictDoUpdate({
          target: [assessmentRatings.roundId, assessmentRatings.standardId],
          set: { rating, narrativeMarkdown, narrativeHtml, updatedBy, updatedAt: new Date() },
        });
    },
    keepMeasures: (roundId: number, standardId: number, measures: Record<string, unknown>, runner: Db | Tx = db) =>
      runner
        .update(assessmentRatings)
        .set({ measures })
        .where(and(eq(assessmentRatings.roundId, roundId), eq(assessmentRatings.standardId, standardId))),

    evidenceOf: (roundId: number) =>
      db.select().from(assessmentEvidence).where(eq(assessmentEvidence.roundId, roundId)).orderBy(asc(assessmentEvidence.id)),
    evidence: async (roundId: number, id: number) =>
      (
        await db
          .select()
          .from(assessmentEvidence)
          .where(and(eq(assessmentEvidence.roundId, roundId), eq(assessmentEvidence.id, id)))
      )[0] ?? null,
    async insertEvidence(values: typeof assessmentEvidence.$inferInsert) {
      const [row] = await db.insert(assessmentEvidence).values(values).returning();
      return row!;
    },
    deleteEvidence: (id: number) => db.delete(assessmentEvidence).where(eq(assessmentEvidence.id, id)),

    actionsOf: (roundId: number) =>
      db.select().from(assessmentActions).where(eq(assessmentActions.roundId, roundId)).orderBy(asc(assessmentActions.id)),
    action: async (roundId: number, id: number) =>
      (
        await db
          .select()
          .from(assessmentActions)
          .where(and(eq(assessmentActions.roundId, roundId), eq(assessmentActions.id, id)))
      )[0] ?? null,
    async insertAction(values: typeof assessmentActions.$inferInsert, runner: Db | Tx = db) {
      const [row] = await runner.insert(assessmentActions).values(values).returning();
      return row!;
    },
    // The action's row, locked until the transaction ends, so two requests to make it a commitment
    // take turns (the second then sees the first's link).
    lockAction: async (id: number, runner: Db | Tx) =>
      (await runner.select().from(assessmentActions).where(eq(assessmentActions.id, id)).for('update'))[0] ?? null,
    // Only an action not yet linked: false when another request linked it first.
    async linkAction(id: number, commitmentId: number, runner: Db | Tx = db) {
      const rows = await runner
        .update(assessmentActions)
        .set({ commitmentId })
        .where(and(eq(assessmentActions.id, id), isNull(assessmentActions.commitmentId)))
        .returning({ id: assessmentActions.id });
      return rows.length > 0;
    },
  };
}

export type StandardsRepository = ReturnType<typeof createStandardsRepository>;
