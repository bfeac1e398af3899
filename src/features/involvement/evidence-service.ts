import { sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { claims } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    paymentEvidence: PaymentEvidence;
  }
}

// The median days from the activity to payment over claims paid between two dates (both
// included): finance's report for a tax year and the involvement standards' computed evidence
// (the accountability feature, issue 15) both count it here.
export async function daysToPaymentBetween(db: Db, from: string, to: string): Promise<{ claims: number; medianDays: number | null }> {
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select count(*)::int as claims,
        percentile_cont(0.5) within group (order by (${claims.paidOn} - ${claims.activityOn})) as median
      from ${claims} where ${claims.status} = 'paid' and ${claims.paidOn} between ${from} and ${to}`),
  );
  return { claims: Number(row?.claims ?? 0), medianDays: row?.median === null || row?.median === undefined ? null : Number(row.median) };
}

export function createPaymentEvidence(db: Db) {
  return {
    daysToPay: (days: { from: string; to: string }) => daysToPaymentBetween(db, days.from, days.to),
  };
}
export type PaymentEvidence = ReturnType<typeof createPaymentEvidence>;
