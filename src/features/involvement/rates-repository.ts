import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { claimExpenses, claims, rates } from './tables.ts';

export type RateRow = typeof rates.$inferSelect;
export type NewRate = typeof rates.$inferInsert;

// The rate card's queries only; the rules (what may be added or removed) are in rates-service.ts.
export function createRatesRepository(db: Db) {
  return {
    // Every row, by kind, newest date first within each kind.
    all: (runner: Db | Tx = db) => runner.select().from(rates).orderBy(asc(rates.kind), desc(rates.effectiveFrom)),

    byId: (id: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(rates)
        .where(eq(rates.id, id))
        .then((r) => r[0] ?? null),

    ofKind: (kind: string, runner: Db | Tx = db) =>
      runner.select().from(rates).where(eq(rates.kind, kind)).orderBy(desc(rates.effectiveFrom)),

    onDate: (kind: string, effectiveFrom: string, runner: Db | Tx = db) =>
      runner
        .select()
        .from(rates)
        .where(and(eq(rates.kind, kind), eq(rates.effectiveFrom, effectiveFrom)))
        .then((r) => r[0] ?? null),

    async insert(row: NewRate, runner: Db | Tx = db): Promise<RateRow> {
      const [saved] = await runner.insert(rates).values(row).returning();
      return saved!;
    },

    // Whether any claim priced its fee or an expense by this row.
    async isUsed(id: number, runner: Db | Tx = db): Promise<boolean> {
      const result = await runner.execute(
        sql`select (exists (select 1 from ${claims} where ${claims.feeRateId} = ${id})
          or exists (select 1 from ${claimExpenses} where ${claimExpenses.rateId} = ${id})) as used`,
      );
      return !!rowsOf<{ used: boolean }>(result)[0]?.used;
    },

    async delete(id: number, runner: Db | Tx = db) {
      await runner.delete(rates).where(eq(rates.id, id));
    },
  };
}
