import { and, asc, count, desc, eq, inArray, isNotNull, isNull, max, ne } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { commitmentHistory, commitmentMilestones, commitments, commitmentStatuses, commitmentUpdates } from './tables.ts';

// The reads and writes of commitments, their statuses, milestones, updates and history. The rules
// are in commitments-service.ts and commitments-rollup.ts.

export type CommitmentRow = typeof commitments.$inferSelect;
export type StatusRow = typeof commitmentStatuses.$inferSelect;
export type MilestoneRow = typeof commitmentMilestones.$inferSelect;
export type UpdateRow = typeof commitmentUpdates.$inferSelect;
export type HistoryRow = typeof commitmentHistory.$inferSelect;

export function createCommitmentsRepository(db: Db) {
  return {
    statuses: (runner: Db | Tx = db) =>
      runner.select().from(commitmentStatuses).orderBy(asc(commitmentStatuses.position), asc(commitmentStatuses.id)),
    async status(id: number, runner: Db | Tx = db): Promise<StatusRow | null> {
      const [row] = await runner.select().from(commitmentStatuses).where(eq(commitmentStatuses.id, id));
      return row ?? null;
    },
    async statusCount(runner: Db | Tx = db): Promise<number> {
      const [row] = await runner.select({ n: count() }).from(commitmentStatuses);
      return row?.n ?? 0;
    },

    all: (runner: Db | Tx = db) => runner.select().from(commitments).orderBy(asc(commitments.position), asc(commitments.title)),
    published: (runner: Db | Tx = db) =>
      runner
        .select()
        .from(commitments)
        .where(isNotNull(commitments.publishedAt))
        .orderBy(asc(commitments.position), asc(commitments.title)),
    async find(id: number, runner: Db | Tx = db): Promise<CommitmentRow | null> {
      const [row] = await runner.select().from(commitments).where(eq(commitments.id, id));
      return row ?? null;
    },
    // Locks the row until the caller's transaction ends, so two changes to one commitment queue up.
    async lock(id: number, tx: Tx): Promise<CommitmentRow | null> {
      const [row] = await tx.select().from(commitments).where(eq(commitments.id, id)).for('update');
      return row ?? null;
    },
    async findPublished(where: { slug: string } | { id: number }, runner: Db | Tx = db): Promise<CommitmentRow | null> {
      const match = 'slug' in where ? eq(commitments.slug, where.slug) : eq(commitments.id, where.id);
      const [row] = await runner
        .select()
        .from(commitments)
        .where(and(match, isNotNull(commitments.publishedAt)));
      return row ?? null;
    },
    children: (id: number, runner: Db | Tx = db) =>
      runner.select().from(commitments).where(eq(commitments.parentId, id)).orderBy(asc(commitments.position), asc(commitments.title)),
    topLevel: (runner: Db | Tx = db) => runner.select({ id: commitments.id }).from(commitments).where(isNull(commitments.parentId)),

    milestones: (id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(commitmentMilestones)
        .where(eq(commitmentMilestones.commitmentId, id))
        .orderBy(asc(commitmentMilestones.plannedOn), asc(commitmentMilestones.id)),
    updates: (id: number, runner: Db | Tx = db) =>
      runner.select().from(commitmentUpdates).where(eq(commitmentUpdates.commitmentId, id)).orderBy(desc(commitmentUpdates.publishedAt)),
    history: (id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(commitmentHistory)
        .where(eq(commitmentHistory.commitmentId, id))
        .orderBy(desc(commitmentHistory.at), desc(commitmentHistory.id)),

    // The newest updates on published commitments, for the RSS feed.
    latestPublishedUpdates: (limit: number, runner: Db | Tx = db) =>
      runner
        .select({ update: commitmentUpdates, slug: commitments.slug, commitmentTitle: commitments.title })
        .from(commitmentUpdates)
        .innerJoin(commitments, eq(commitments.id, commitmentUpdates.commitmentId))
        .where(isNotNull(commitments.publishedAt))
        .orderBy(desc(commitmentUpdates.publishedAt))
        .limit(limit),

    // When each commitment last had news (an update, or a change of status or progress), for the
    // staff home's "no update in six months".
    async lastNewsAt(ids: number[], runner: Db | Tx = db): Promise<Map<number, Date>> {
      if (ids.length === 0) return new Map();
      const [updates, changes] = await Promise.all([
        runner
          .select({ id: commitmentUpdates.commitmentId, at: max(commitmentUpdates.publishedAt) })
          .from(commitmentUpdates)
          .where(inArray(commitmentUpdates.commitmentId, ids))
          .groupBy(commitmentUpdates.commitmentId),
        runner
          .select({ id: commitmentHistory.commitmentId, at: max(commitmentHistory.at) })
          .from(commitmentHistory)
          .where(and(inArray(commitmentHistory.commitmentId, ids), ne(commitmentHistory.cause, 'created')))
          .groupBy(commitmentHistory.commitmentId),
      ]);
      const out = new Map<number, Date>();
      for (const r of [...updates, ...changes]) if (r.at && (!out.has(r.id) || out.get(r.id)! < r.at)) out.set(r.id, r.at);
      return out;
    },

    // Staff who wrote or changed commitments, for "Download my data".
    byPerson: (userId: string, runner: Db | Tx = db) =>
      Promise.all([
        runner.select({ id: commitments.id, title: commitments.title }).from(commitments).where(eq(commitments.createdBy, userId)),
        runner.select({ id: commitments.id, title: commitments.title }).from(commitments).where(eq(commitments.responsibleUserId, userId)),
        runner
          .select({ id: commitmentUpdates.id, title: commitmentUpdates.title, publishedAt: commitmentUpdates.publishedAt })
          .from(commitmentUpdates)
          .where(eq(commitmentUpdates.authorId, userId)),
        runner
          .select({ id: commitmentHistory.id, at: commitmentHistory.at })
          .from(commitmentHistory)
          .where(eq(commitmentHistory.changedBy, userId)),
      ]),
  };
}

export type CommitmentsRepository = ReturnType<typeof createCommitmentsRepository>;
