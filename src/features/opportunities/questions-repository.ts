import { and, asc, eq, gt, lt, max, desc, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { applications, opportunityQuestions } from './tables.ts';
import { questionsOf } from './reads.ts';

export type QuestionRow = typeof opportunityQuestions.$inferSelect;
type QuestionChanges = Partial<Pick<QuestionRow, 'kind' | 'label' | 'hint' | 'options' | 'required' | 'translations'>>;

// Queries for the questions editor: an opportunity's questions, written, moved and removed, and
// whether anyone has sent an application (after which sent answers depend on the questions).
export function createQuestionsRepository(db: Db) {
  return {
    of: (opportunityId: number, runner: Db | Tx = db) => questionsOf(runner, opportunityId),

    async one(opportunityId: number, id: number, runner: Db | Tx = db): Promise<QuestionRow | null> {
      const [row] = await runner
        .select()
        .from(opportunityQuestions)
        .where(and(eq(opportunityQuestions.id, id), eq(opportunityQuestions.opportunityId, opportunityId)));
      return row ?? null;
    },

    // Sent (and perhaps withdrawn since): a draft is still the applicant's own to change.
    async anySent(opportunityId: number, runner: Db | Tx = db): Promise<boolean> {
      const [row] = await runner
        .select({ id: applications.id })
        .from(applications)
        .where(and(eq(applications.opportunityId, opportunityId), ne(applications.state, 'draft')))
        .limit(1);
      return !!row;
    },

    // Added at the end.
    async insert(opportunityId: number, values: Required<QuestionChanges>, tx: Tx) {
      const [last] = await tx
        .select({ n: max(opportunityQuestions.position) })
        .from(opportunityQuestions)
        .where(eq(opportunityQuestions.opportunityId, opportunityId));
      const [row] = await tx
        .insert(opportunityQuestions)
        .values({ ...values, opportunityId, position: (last?.n ?? -1) + 1 })
        .returning();
      return row!;
    },

    async update(id: number, values: QuestionChanges, tx: Tx) {
      await tx.update(opportunityQuestions).set(values).where(eq(opportunityQuestions.id, id));
    },

    async remove(id: number, tx: Tx) {
      await tx.delete(opportunityQuestions).where(eq(opportunityQuestions.id, id));
    },

    // Swaps a question with the one before (up) or after (down) it; false at either end.
    async move(q: QuestionRow, direction: 'up' | 'down', tx: Tx): Promise<boolean> {
      const [neighbour] = await tx
        .select()
        .from(opportunityQuestions)
        .where(
          and(
            eq(opportunityQuestions.opportunityId, q.opportunityId),
            direction === 'up' ? lt(opportunityQuestions.position, q.position) : gt(opportunityQuestions.position, q.position),
          ),
        )
        .orderBy(direction === 'up' ? desc(opportunityQuestions.position) : asc(opportunityQuestions.position))
        .limit(1);
      if (!neighbour) return false;
      await tx.update(opportunityQuestions).set({ position: neighbour.position }).where(eq(opportunityQuestions.id, q.id));
      await tx.update(opportunityQuestions).set({ position: q.position }).where(eq(opportunityQuestions.id, neighbour.id));
      return true;
    },

    // Positions 0, 1, 2 … in the present order, so no two questions share one (the demo and
    // older rows may have).
    async renumber(opportunityId: number, tx: Tx) {
      await tx.execute(sql`
        update ${opportunityQuestions} q set position = n.rank - 1
        from (select id, row_number() over (order by position, id) as rank from ${opportunityQuestions}
              where opportunity_id = ${opportunityId}) n
        where q.id = n.id`);
    },
  };
}
export type QuestionsRepository = ReturnType<typeof createQuestionsRepository>;
