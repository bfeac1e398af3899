import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { claims, payees, rates, type ClaimStatus } from './tables.ts';

// Who may act on which submitted claims, as a condition: the claim's staff lead; when it has none,
// admins and involvement staff; admins any. Never a claim of one's own or one entered by oneself.
export type Approver = { id: string; admin: boolean; register: boolean };

const listed = {
  id: claims.id,
  status: claims.status,
  activityTitle: claims.activityTitle,
  activityOn: claims.activityOn,
  totalPence: claims.totalPence,
  submittedAt: claims.submittedAt,
  createdAt: claims.createdAt,
  leadUserId: claims.leadUserId,
  payeeName: payees.name,
  payeeReference: payees.reference,
};

// Queries for reviewing claims; the shared ones (byId, lock, events …) are in claims-repository.ts.
export function createReviewRepository(db: Db) {
  function mayActOn(a: Approver): SQL {
    const notMine = and(or(isNull(claims.userId), ne(claims.userId, a.id)), or(isNull(claims.enteredBy), ne(claims.enteredBy, a.id)))!;
    if (a.admin) return notMine;
    const lead = a.register ? or(eq(claims.leadUserId, a.id), isNull(claims.leadUserId))! : eq(claims.leadUserId, a.id);
    return and(notMine, lead)!;
  }

  return {
    // Submitted claims this person may approve, the longest waiting first.
    waitingFor: (a: Approver) =>
      db
        .select(listed)
        .from(claims)
        .innerJoin(payees, eq(payees.id, claims.payeeId))
        .where(and(eq(claims.status, 'submitted'), mayActOn(a)))
        .orderBy(asc(sql`coalesce(${claims.submittedAt}, ${claims.createdAt})`), asc(claims.id)),

    async waitingCount(a: Approver): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(claims)
        .where(and(eq(claims.status, 'submitted'), mayActOn(a)));
      return row?.n ?? 0;
    },

    // Claims in one status, newest activity first (a page's worth).
    withStatus: (status: ClaimStatus, limit = 200) =>
      db
        .select(listed)
        .from(claims)
        .innerJoin(payees, eq(payees.id, claims.payeeId))
        .where(eq(claims.status, status))
        .orderBy(desc(claims.activityOn), desc(claims.id))
        .limit(limit),

    countsByStatus: () =>
      db
        .select({ status: claims.status, n: sql<number>`count(*)::int` })
        .from(claims)
        .groupBy(claims.status),

    ratesByIds: (ids: number[]) => (ids.length ? db.select().from(rates).where(inArray(rates.id, ids)) : Promise.resolve([])),
  };
}
export type ListedClaim = Awaited<ReturnType<ReturnType<typeof createReviewRepository>['waitingFor']>>[number];
