import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { claimEvents, claimExpenses, claims, paymentDeclarations, rates } from './tables.ts';
import type { ClaimRow, NewClaim, NewExpense } from './claims-repository.ts';

export type RateRow = typeof rates.$inferSelect;
export type DeclarationRow = typeof paymentDeclarations.$inferSelect;

// The queries of making a claim (the shared ones are in claims-repository.ts).
export function createClaimsMakingRepository(db: Db) {
  return {
    // The whole rate card: a few dozen rows at most, priced in memory with rateOn().
    rates: (runner: Db | Tx = db): Promise<RateRow[]> => runner.select().from(rates).orderBy(asc(rates.kind), asc(rates.effectiveFrom)),

    rateById: (id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(rates)
        .where(eq(rates.id, id))
        .then((r) => r[0] ?? null),

    async insert(row: NewClaim, tx: Tx): Promise<ClaimRow> {
      const [saved] = await tx.insert(claims).values(row).returning();
      return saved!;
    },

    // A claim's expenses are written again whole on every save (receipts carried across by key).
    async replaceExpenses(claimId: number, rows: Omit<NewExpense, 'claimId'>[], tx: Tx) {
      await tx.delete(claimExpenses).where(eq(claimExpenses.claimId, claimId));
      if (rows.length) await tx.insert(claimExpenses).values(rows.map((r) => ({ ...r, claimId })));
    },

    async delete(id: number, tx: Tx) {
      await tx.delete(claims).where(eq(claims.id, id));
    },

    declarationOf: (userId: string, taxYear: string, runner: Db | Tx = db) =>
      runner
        .select()
        .from(paymentDeclarations)
        .where(and(eq(paymentDeclarations.userId, userId), eq(paymentDeclarations.taxYear, taxYear)))
        .then((r) => r[0] ?? null),

    // One per person per tax year (the unique index): a second answer for the year keeps the first.
    async addDeclaration(userId: string, taxYear: string, answers: Record<string, string>, tx: Tx) {
      await tx.insert(paymentDeclarations).values({ userId, taxYear, answers }).onConflictDoNothing();
    },

    // For "Download my data": every claim's lines and history in two queries.
    expensesOf: (claimIds: number[]) =>
      claimIds.length
        ? db.select().from(claimExpenses).where(inArray(claimExpenses.claimId, claimIds)).orderBy(asc(claimExpenses.id))
        : Promise.resolve([]),
    eventsOf: (claimIds: number[]) =>
      claimIds.length
        ? db.select().from(claimEvents).where(inArray(claimEvents.claimId, claimIds)).orderBy(asc(claimEvents.at), asc(claimEvents.id))
        : Promise.resolve([]),
  };
}
