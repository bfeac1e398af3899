import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import { daysToPaymentBetween } from './evidence-service.ts';
import { taxYearBounds, taxYearOf } from './money.ts';
import { claimEvents, claims, payees } from './tables.ts';

export type Warning = 'near' | 'over' | null;
export type PersonYear = {
  payeeId: number;
  reference: string;
  name: string;
  hasAccount: boolean;
  paidFeesPence: number;
  paidExpensesPence: number;
  onTheWayPence: number;
  warning: Warning;
};
export type SpendRow = { key: string; claims: number; paidPence: number; approvedPence: number; totalPence: number };
export const spendDimensions = ['kind', 'group', 'month'] as const;
export type SpendDimension = (typeof spendDimensions)[number];
export const waitingStatuses = ['submitted', 'returned', 'approved', 'exported'] as const;

// '2026-27' when it is a real tax year (the second part follows the first); null otherwise.
export function readTaxYear(v: unknown): string | null {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}$/.test(v)) return null;
  const start = Number(v.slice(0, 4));
  return start >= 2000 && start <= 2100 && Number(v.slice(5)) === (start + 1) % 100 ? v : null;
}

// The tax years offered in the chooser: this one and the six before (the accounts' keeping period).
export function recentTaxYears(now = new Date()): string[] {
  const start = Number(taxYearOf(todayInLondon(now)).slice(0, 4));
  return Array.from({ length: 7 }, (_, i) => `${start - i}-${String((start - i + 1) % 100).padStart(2, '0')}`);
}

// At 80% of the amount the organisation watches, "near"; at or past it, "over" (integers only).
export function warningFor(pence: number, warnAt: number | null): Warning {
  if (!warnAt) return null;
  if (pence >= warnAt) return 'over';
  return 5 * pence >= 4 * warnAt ? 'near' : null;
}

const int = (v: unknown) => Number(v ?? 0);

// Finance's figures, every sum in SQL over whole pence. The person's year follows
// claimsRepository.yearTotals: paid by the date paid; on its way (submitted, approved or with
// finance) by the date of the activity.
export function createFinanceReports(db: Db) {
  const yearFilters = (taxYear: string) => {
    const { from, to } = taxYearBounds(taxYear);
    return {
      paid: sql`${claims.status} = 'paid' and ${claims.paidOn} between ${from} and ${to}`,
      onTheWay: sql`${claims.status} in ('submitted', 'approved', 'exported') and ${claims.activityOn} between ${from} and ${to}`,
      from,
      to,
    };
  };

  return {
    async peopleInYear(taxYear: string, warnAt: number | null): Promise<PersonYear[]> {
      const { paid, onTheWay } = yearFilters(taxYear);
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select * from (select p.id, p.reference, p.name, p.user_id is not null as has_account,
            coalesce(sum(${claims.feePence}) filter (where ${paid}), 0)::int as paid_fees,
            coalesce(sum(${claims.expensesPence}) filter (where ${paid}), 0)::int as paid_expenses,
            coalesce(sum(${claims.totalPence}) filter (where ${onTheWay}), 0)::int as on_the_way
          from ${payees} p join ${claims} on ${claims.payeeId} = p.id
          where (${paid}) or (${onTheWay})
          group by p.id) x
          order by paid_fees + on_the_way desc, reference`),
      );
      return rows.map((r) => {
        const person = {
          payeeId: int(r.id),
          reference: String(r.reference),
          name: String(r.name),
          hasAccount: !!r.has_account,
          paidFeesPence: int(r.paid_fees),
          paidExpensesPence: int(r.paid_expenses),
          onTheWayPence: int(r.on_the_way),
        };
        return { ...person, warning: warningFor(person.paidFeesPence + person.onTheWayPence, warnAt) };
      });
    },

    // Spend committed in the year (approved, with finance, or paid), by the activity's date.
    async spendBy(dimension: SpendDimension, taxYear: string): Promise<SpendRow[]> {
      const { from, to } = yearFilters(taxYear);
      const key: SQL = {
        kind: sql`coalesce(${claims.activityKind}, '')`,
        group: sql`coalesce(${claims.groupName}, '')`,
        month: sql`to_char(${claims.activityOn}, 'YYYY-MM')`,
      }[dimension];
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select ${key} as key, count(*)::int as claims,
            coalesce(sum(${claims.totalPence}) filter (where ${claims.status} = 'paid'), 0)::int as paid,
            coalesce(sum(${claims.totalPence}) filter (where ${claims.status} <> 'paid'), 0)::int as approved,
            coalesce(sum(${claims.totalPence}), 0)::int as total
          from ${claims}
          where ${claims.status} in ('approved', 'exported', 'paid') and ${claims.activityOn} between ${from} and ${to}
          group by 1 order by ${dimension === 'month' ? sql`1` : sql`5 desc, 1`}`),
      );
      return rows.map((r) => ({
        key: String(r.key),
        claims: int(r.claims),
        paidPence: int(r.paid),
        approvedPence: int(r.approved),
        totalPence: int(r.total),
      }));
    },

    // Claims waiting at each step, and how long the longest has waited since it reached that step.
    async waiting(now: Date): Promise<{ status: string; claims: number; oldestDays: number }[]> {
      const today = todayInLondon(now);
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select c.status, count(*)::int as claims,
            max(${today}::date - ((coalesce(
              (select max(e.at) from ${claimEvents} e where e.claim_id = c.id and e.status = c.status),
              c.updated_at) at time zone 'Europe/London')::date))::int as oldest
          from ${claims} c where c.status in ('submitted', 'returned', 'approved', 'exported')
          group by c.status`),
      );
      const found = new Map(rows.map((r) => [String(r.status), r]));
      return waitingStatuses.map((status) => ({
        status,
        claims: int(found.get(status)?.claims),
        oldestDays: Math.max(0, int(found.get(status)?.oldest)),
      }));
    },

    // The median days from the activity to payment over claims paid in the year.
    daysToPayment(taxYear: string): Promise<{ claims: number; medianDays: number | null }> {
      const { from, to } = yearFilters(taxYear);
      return daysToPaymentBetween(db, from, to);
    },
  };
}
export type FinanceReports = ReturnType<typeof createFinanceReports>;
