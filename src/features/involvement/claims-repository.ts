import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { taxYearBounds } from './money.ts';
import type { Db, Tx } from '#src/db/client.ts';
import { claimEvents, claimExpenses, claims, payees, type ClaimStatus } from './tables.ts';

export type ClaimRow = typeof claims.$inferSelect;
export type NewClaim = typeof claims.$inferInsert;
export type ExpenseRow = typeof claimExpenses.$inferSelect;
export type NewExpense = typeof claimExpenses.$inferInsert;
export type ClaimEventRow = typeof claimEvents.$inferSelect;
export type PayeeRow = typeof payees.$inferSelect;

// The queries every area of claims shares (making, reviewing, paying). Each area keeps its own
// further queries in its own repository.
export function createClaimsRepository(db: Db) {
  return {
    byId: (id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(claims)
        .where(eq(claims.id, id))
        .then((r) => r[0] ?? null),

    // Locks the claim's row until the transaction ends, so two steps on one claim never cross.
    lock: (id: number, tx: Tx) =>
      tx
        .select()
        .from(claims)
        .where(eq(claims.id, id))
        .for('update')
        .then((r) => r[0] ?? null),

    byRecord: (recordId: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(claims)
        .where(eq(claims.recordId, recordId))
        .then((r) => r[0] ?? null),

    ofUser: (userId: string) => db.select().from(claims).where(eq(claims.userId, userId)).orderBy(desc(claims.activityOn), desc(claims.id)),

    expenses: (claimId: number, runner: Db | Tx = db) =>
      runner.select().from(claimExpenses).where(eq(claimExpenses.claimId, claimId)).orderBy(asc(claimExpenses.id)),

    expense: (claimId: number, expenseId: number) =>
      db
        .select()
        .from(claimExpenses)
        .where(and(eq(claimExpenses.claimId, claimId), eq(claimExpenses.id, expenseId)))
        .then((r) => r[0] ?? null),

    events: (claimId: number, runner: Db | Tx = db) =>
      runner.select().from(claimEvents).where(eq(claimEvents.claimId, claimId)).orderBy(asc(claimEvents.at), asc(claimEvents.id)),

    async update(id: number, changes: Partial<NewClaim>, runner: Db | Tx = db) {
      await runner
        .update(claims)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(claims.id, id));
    },

    async addEvent(claimId: number, status: ClaimStatus, actorUserId: string | null, note: string | null, runner: Db | Tx = db) {
      await runner.insert(claimEvents).values({ claimId, status, actorUserId, note });
    },

    payeeOf: (userId: string, runner: Db | Tx = db) =>
      runner
        .select()
        .from(payees)
        .where(eq(payees.userId, userId))
        .then((r) => r[0] ?? null),

    payeeById: (id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(payees)
        .where(eq(payees.id, id))
        .then((r) => r[0] ?? null),

    // What one payee was paid in a UK tax year (by the date paid), and what is on its way (claims
    // submitted, approved or with finance, by the date of the activity). Fees and vouchers count;
    // a declined fee counts nothing, and expenses are shown apart (they repay costs).
    async yearTotals(payeeId: number, taxYear: string, runner: Db | Tx = db) {
      const { from, to } = taxYearBounds(taxYear);
      const paid = and(eq(claims.status, 'paid'), sql`${claims.paidOn} between ${from} and ${to}`);
      const onTheWay = and(
        inArray(claims.status, ['submitted', 'approved', 'exported']),
        sql`${claims.activityOn} between ${from} and ${to}`,
      );
      const [row] = await runner
        .select({
          paidFeesPence: sql<number>`coalesce(sum(${claims.feePence}) filter (where ${paid}), 0)::int`,
          paidExpensesPence: sql<number>`coalesce(sum(${claims.expensesPence}) filter (where ${paid}), 0)::int`,
          onTheWayPence: sql<number>`coalesce(sum(${claims.totalPence}) filter (where ${onTheWay}), 0)::int`,
          paidClaims: sql<number>`(count(*) filter (where ${paid}))::int`,
        })
        .from(claims)
        .where(eq(claims.payeeId, payeeId));
      return row!;
    },

    // A person's reference for finance ("P000042"), made with their first claim.
    async ensurePayee(userId: string, name: string, tx: Db | Tx): Promise<PayeeRow> {
      const found = await this.payeeOf(userId, tx);
      if (found) return found;
      const [made] = await tx
        .insert(payees)
        .values({ userId, name, reference: `new-${userId}` })
        .returning();
      const reference = `P${String(made!.id).padStart(6, '0')}`;
      await tx.update(payees).set({ reference }).where(eq(payees.id, made!.id));
      return { ...made!, reference };
    },
  };
}
export type ClaimsRepository = ReturnType<typeof createClaimsRepository>;
