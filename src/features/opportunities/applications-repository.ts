import { and, asc, count, desc, eq, gte, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { applicationAnswers, applications, opportunities, opportunityQuestions } from './tables.ts';
import { opportunityById, questionsOf } from './reads.ts';

export type ApplicationRow = typeof applications.$inferSelect;
export type OpportunityRow = typeof opportunities.$inferSelect;
export type QuestionRow = typeof opportunityQuestions.$inferSelect;
export type AnswerValue = string | string[];
type ApplicationChanges = Partial<Omit<typeof applications.$inferInsert, 'id' | 'opportunityId' | 'userId'>>;

// Queries for applying: the opportunity as an applicant sees it, a person's applications and
// their answers, and the counts the retention rule keeps.
export function createApplicationsRepository(db: Db) {
  return {
    // Any opportunity that has been published (drafts are nobody's business but staff's).
    async publishedBySlug(slug: string): Promise<OpportunityRow | null> {
      const [row] = await db
        .select()
        .from(opportunities)
        .where(and(eq(opportunities.slug, slug), ne(opportunities.status, 'draft')));
      return row ?? null;
    },

    opportunity: (id: number, runner: Db | Tx = db): Promise<OpportunityRow | null> => opportunityById(runner, id),

    questions: (opportunityId: number) => questionsOf(db, opportunityId),

    async of(opportunityId: number, userId: string, runner: Db | Tx = db): Promise<ApplicationRow | null> {
      const [row] = await runner
        .select()
        .from(applications)
        .where(and(eq(applications.opportunityId, opportunityId), eq(applications.userId, userId)));
      return row ?? null;
    },

    // One application, only when it is this person's: someone else's id finds nothing.
    async mine(id: number, userId: string, runner: Db | Tx = db): Promise<ApplicationRow | null> {
      const [row] = await runner
        .select()
        .from(applications)
        .where(and(eq(applications.id, id), eq(applications.userId, userId)));
      return row ?? null;
    },

    async answers(applicationId: number): Promise<Map<number, AnswerValue>> {
      const rows = await db.select().from(applicationAnswers).where(eq(applicationAnswers.applicationId, applicationId));
      return new Map(rows.map((r) => [r.questionId, r.value]));
    },

    // A person's applications, newest first, with the opportunity each is for.
    listOf: (userId: string) =>
      db
        .select({ application: applications, opportunity: opportunities })
        .from(applications)
        .innerJoin(opportunities, eq(opportunities.id, applications.opportunityId))
        .where(eq(applications.userId, userId))
        .orderBy(desc(applications.createdAt), desc(applications.id)),

    // Every answer of a person's applications, for "Download my data".
    async answersOf(applicationIds: number[]) {
      if (!applicationIds.length) return [];
      return db
        .select({ applicationId: applicationAnswers.applicationId, question: opportunityQuestions.label, value: applicationAnswers.value })
        .from(applicationAnswers)
        .innerJoin(opportunityQuestions, eq(opportunityQuestions.id, applicationAnswers.questionId))
        .where(inArray(applicationAnswers.applicationId, applicationIds))
        .orderBy(asc(applicationAnswers.applicationId), asc(opportunityQuestions.position));
    },

    // Writes the application and replaces its answers. The unique (opportunity, person) index
    // makes a second row for the same pair impossible; the caller has already looked.
    async save(
      existing: ApplicationRow | null,
      key: { opportunityId: number; userId: string },
      changes: ApplicationChanges,
      answers: Map<number, AnswerValue>,
      tx: Tx,
    ): Promise<ApplicationRow> {
      const now = new Date();
      const [row] = existing
        ? await tx
            .update(applications)
            .set({ ...changes, updatedAt: now })
            .where(eq(applications.id, existing.id))
            .returning()
        : await tx
            .insert(applications)
            .values({ ...key, ...changes })
            .returning();
      await tx.delete(applicationAnswers).where(eq(applicationAnswers.applicationId, row!.id));
      if (answers.size) {
        await tx
          .insert(applicationAnswers)
          .values([...answers].map(([questionId, value]) => ({ applicationId: row!.id, questionId, value })));
      }
      return row!;
    },

    async withdraw(id: number, tx: Tx) {
      const now = new Date();
      await tx.update(applications).set({ state: 'withdrawn', withdrawnAt: now, updatedAt: now }).where(eq(applications.id, id));
    },

    // How many applications to this opportunity were sent since a moment (the contact's emails).
    async submittedSince(opportunityId: number, since: Date, runner: Db | Tx = db): Promise<number> {
      const [row] = await runner
        .select({ n: count() })
        .from(applications)
        .where(
          and(eq(applications.opportunityId, opportunityId), eq(applications.state, 'submitted'), gte(applications.submittedAt, since)),
        );
      return row?.n ?? 0;
    },

    // Opportunities with applications sent in [from, to): the daily digest's list.
    async submittedBetween(from: Date, to: Date) {
      return db
        .select({ opportunity: opportunities, n: count() })
        .from(applications)
        .innerJoin(opportunities, eq(opportunities.id, applications.opportunityId))
        .where(and(eq(applications.state, 'submitted'), gte(applications.submittedAt, from), lt(applications.submittedAt, to)))
        .groupBy(opportunities.id);
    },

    // Archived before `before` and still holding applications.
    dueForErasure: (before: Date) =>
      db
        .select({ id: opportunities.id })
        .from(opportunities)
        .where(and(eq(opportunities.status, 'archived'), lt(opportunities.archivedAt, before), isNull(opportunities.applicationsErasedAt))),

    // Deletes an opportunity's applications, keeping only how many there were in each state.
    async eraseApplications(opportunityId: number, tx: Tx): Promise<number> {
      const groups = await tx
        .select({ state: applications.state, selection: applications.selection, n: count() })
        .from(applications)
        .where(eq(applications.opportunityId, opportunityId))
        .groupBy(applications.state, applications.selection);
      const counts: Record<string, number> = { total: 0 };
      for (const g of groups) {
        counts.total! += g.n;
        counts[g.state] = (counts[g.state] ?? 0) + g.n;
        if (g.state === 'submitted') counts[g.selection] = (counts[g.selection] ?? 0) + g.n;
      }
      await tx.delete(applications).where(eq(applications.opportunityId, opportunityId));
      await tx
        .update(opportunities)
        .set({ applicationsErasedAt: new Date(), erasedCounts: counts, updatedAt: sql`now()` })
        .where(eq(opportunities.id, opportunityId));
      return counts.total!;
    },
  };
}
export type ApplicationsRepository = ReturnType<typeof createApplicationsRepository>;
