import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { claimEvents, claimExpenses, claims, financeExports, payees, type ClaimStatus } from './tables.ts';

export type ExportRow = typeof financeExports.$inferSelect;
// What a step taken on many claims at once needs to tell each person.
export type MovedClaim = { id: number; userId: string | null; activityTitle: string; totalPence: number; paidOn: string | null };

const waitingForExport = and(eq(claims.status, 'approved'), isNull(claims.exportId));
const moved = {
  id: claims.id,
  userId: claims.userId,
  activityTitle: claims.activityTitle,
  totalPence: claims.totalPence,
  paidOn: claims.paidOn,
};

// Finance's queries: approved claims waiting to be sent, the exports, and the steps that move a
// whole export at once (set-based: one UPDATE … RETURNING, one INSERT of history rows).
export function createFinanceRepository(db: Db) {
  return {
    waitingTotals: () =>
      db
        .select({ count: count(), totalPence: sql<number>`coalesce(sum(${claims.totalPence}), 0)::int` })
        .from(claims)
        .where(waitingForExport)
        .then((r) => r[0]!),

    waiting: (limit: number) =>
      db
        .select({ claim: claims, payeeReference: payees.reference, payeeName: payees.name })
        .from(claims)
        .innerJoin(payees, eq(payees.id, claims.payeeId))
        .where(waitingForExport)
        .orderBy(asc(claims.approvedAt), asc(claims.id))
        .limit(limit),

    async newExport(createdBy: string, tx: Tx): Promise<ExportRow> {
      const [row] = await tx.insert(financeExports).values({ createdBy, claimCount: 0, totalPence: 0 }).returning();
      return row!;
    },

    // Takes every approved claim no other export holds, in one conditional UPDATE: it locks each
    // row it changes, and a second export started at the same moment waits for those locks, then
    // finds the rows no longer approved and leaves them (PostgreSQL checks the WHERE again), so a
    // claim is never in two exports. (A sub-select with SKIP LOCKED was tried: joined back to the
    // claims it made the planner loop over 10,000 × 10,000 rows on a table without statistics.)
    async takeWaiting(exportId: number, tx: Tx): Promise<{ id: number }[]> {
      return tx
        .update(claims)
        .set({ status: 'exported', exportId, updatedAt: new Date() })
        .where(waitingForExport)
        .returning({ id: claims.id });
    },

    async setExportTotals(exportId: number, tx: Tx): Promise<ExportRow> {
      const [row] = await tx
        .update(financeExports)
        .set({
          claimCount: sql`(select count(*) from ${claims} where ${claims.exportId} = ${exportId})::int`,
          totalPence: sql`(select coalesce(sum(${claims.totalPence}), 0) from ${claims} where ${claims.exportId} = ${exportId})::int`,
        })
        .where(eq(financeExports.id, exportId))
        .returning();
      return row!;
    },

    // One history row per claim of the export, in one statement.
    async addEvents(exportId: number, status: ClaimStatus, actorUserId: string, tx: Tx) {
      await tx.execute(sql`
        insert into ${claimEvents} (claim_id, status, actor_user_id)
        select ${claims.id}, ${status}, ${actorUserId} from ${claims} where ${claims.exportId} = ${exportId} and ${claims.status} = ${status}`);
    },

    exports: () => db.select().from(financeExports).orderBy(desc(financeExports.id)),

    exportById: (id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(financeExports)
        .where(eq(financeExports.id, id))
        .then((r) => r[0] ?? null),

    lockExport: (id: number, tx: Tx) =>
      tx
        .select()
        .from(financeExports)
        .where(eq(financeExports.id, id))
        .for('update')
        .then((r) => r[0] ?? null),

    async markExportPaid(id: number, paidOn: string, paymentReference: string | null, staffId: string, tx: Tx) {
      await tx
        .update(financeExports)
        .set({ paidOn, paymentReference, markedPaidBy: staffId, markedPaidAt: new Date() })
        .where(eq(financeExports.id, id));
    },

    async payClaimsOf(exportId: number, paidOn: string, paymentReference: string | null, tx: Tx): Promise<{ id: number }[]> {
      return tx
        .update(claims)
        .set({ status: 'paid', paidOn, paymentReference, updatedAt: new Date() })
        .where(and(eq(claims.exportId, exportId), eq(claims.status, 'exported')))
        .returning({ id: claims.id });
    },

    // The export's claims with their payees, in claim order, for its page and its CSV.
    lines: (exportId: number) =>
      db
        .select({ claim: claims, payeeReference: payees.reference, payeeName: payees.name, payeeId: payees.id })
        .from(claims)
        .innerJoin(payees, eq(payees.id, claims.payeeId))
        .where(eq(claims.exportId, exportId))
        .orderBy(asc(claims.id)),

    // A payee's claims, newest first, and the expenses of those that have a receipt.
    claimsOfPayee: (payeeId: number) =>
      db.select().from(claims).where(eq(claims.payeeId, payeeId)).orderBy(desc(claims.activityOn), desc(claims.id)).limit(200),

    receiptsOf: (claimIds: number[]) =>
      claimIds.length
        ? db
            .select()
            .from(claimExpenses)
            .where(and(inArray(claimExpenses.claimId, claimIds), isNotNull(claimExpenses.receiptKey)))
            .orderBy(asc(claimExpenses.id))
        : Promise.resolve([]),

    // The claims a step on a whole export moved, for telling each person.
    movedIn: (exportId: number, status: 'exported' | 'paid') =>
      db
        .select(moved)
        .from(claims)
        .where(status === 'paid' ? and(eq(claims.exportId, exportId), eq(claims.status, 'paid')) : eq(claims.exportId, exportId))
        .orderBy(asc(claims.id)),

    unpaidExportCount: () => db.$count(financeExports, isNull(financeExports.paidOn)),
  };
}
export type FinanceRepository = ReturnType<typeof createFinanceRepository>;
