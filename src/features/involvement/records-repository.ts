import { and, desc, eq, inArray, isNotNull, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { claims, involvementRecords, type RecordSource } from './tables.ts';

export type RecordRow = typeof involvementRecords.$inferSelect;
export type NewRecord = typeof involvementRecords.$inferInsert;

// Drizzle queries only; rules live in records-service.ts.
export function createRecordsRepository(db: Db) {
  return {
    byId: (id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(involvementRecords)
        .where(eq(involvementRecords.id, id))
        .then((r) => r[0] ?? null),

    // A person's records, newest first, with the claim on each (if any).
    ofPerson: (userId: string) =>
      db
        .select({ record: involvementRecords, claimId: claims.id, claimStatus: claims.status, claimTotalPence: claims.totalPence })
        .from(involvementRecords)
        .leftJoin(claims, eq(claims.recordId, involvementRecords.id))
        .where(eq(involvementRecords.userId, userId))
        .orderBy(desc(involvementRecords.occurredOn), desc(involvementRecords.id)),

    recent: (limit: number) =>
      db.select().from(involvementRecords).orderBy(desc(involvementRecords.createdAt), desc(involvementRecords.id)).limit(limit),

    async insert(row: NewRecord, runner: Db | Tx = db): Promise<RecordRow> {
      const [saved] = await runner.insert(involvementRecords).values(row).returning();
      return saved!;
    },

    async update(id: number, changes: Partial<NewRecord>, runner: Db | Tx = db) {
      await runner
        .update(involvementRecords)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(involvementRecords.id, id));
    },

    // One row per person for one source (a meeting's attendance): new people added, the others
    // brought up to date. Returns the rows as saved.
    async upsertForSource(rows: NewRecord[], tx: Db | Tx): Promise<RecordRow[]> {
      if (!rows.length) return [];
      return tx
        .insert(involvementRecords)
        .values(rows)
        .onConflictDoUpdate({
          target: [involvementRecords.source, involvementRecords.sourceId, involvementRecords.userId],
          targetWhere: sql`${involvementRecords.sourceId} is not null`,
          set: {
            title: sql`excluded.title`,
            path: sql`excluded.path`,
            activityKind: sql`excluded.activity_kind`,
            groupId: sql`excluded.group_id`,
            groupName: sql`excluded.group_name`,
            occurredOn: sql`excluded.occurred_on`,
            minutes: sql`excluded.minutes`,
            role: sql`excluded.role`,
            leadUserId: sql`excluded.lead_user_id`,
            updatedAt: sql`now()`,
          },
        })
        .returning();
    },

    // Records of a source for people no longer in its list, unless someone has claimed for them
    // (a claim, once made, keeps its record; staff see it flagged).
    async removeOthersOfSource(source: RecordSource, sourceId: number, keepUserIds: string[], tx: Db | Tx) {
      const claimed = tx.select({ id: claims.recordId }).from(claims).where(isNotNull(claims.recordId));
      await tx
        .delete(involvementRecords)
        .where(
          and(
            eq(involvementRecords.source, source),
            eq(involvementRecords.sourceId, sourceId),
            keepUserIds.length ? notInArray(involvementRecords.userId, keepUserIds) : undefined,
            sql`${involvementRecords.id} not in (${claimed})`,
          ),
        );
    },

    async delete(id: number, runner: Db | Tx = db) {
      await runner.delete(involvementRecords).where(eq(involvementRecords.id, id));
    },

    // Hours and counts for one person, by UK tax year (6 April to 5 April).
    totalsOf: (userId: string) =>
      db
        .select({
          taxYearStart: sql<number>`(extract(year from ${involvementRecords.occurredOn} - interval '3 months 5 days'))::int`,
          records: sql<number>`count(*)::int`,
          minutes: sql<number>`coalesce(sum(${involvementRecords.minutes}), 0)::int`,
        })
        .from(involvementRecords)
        .where(eq(involvementRecords.userId, userId))
        .groupBy(sql`1`)
        .orderBy(sql`1 desc`),

    ofPeople: (userIds: string[]) =>
      userIds.length ? db.select().from(involvementRecords).where(inArray(involvementRecords.userId, userIds)) : Promise.resolve([]),
  };
}
