import type { Db } from '#src/db/client.ts';
import { notFound } from '#src/lib/errors.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { canSeeFinance, canSeeRegister, type CurrentUser } from '#src/platform/identity/roles.ts';
import { createClaimsRepository } from './claims-repository.ts';
import { createReviewRepository } from './review-repository.ts';
import { maySeeClaim, refusalOf } from './review-service.ts';

// Everything a claim's staff page shows: who, the activity, the fee and the rate it used, each
// expense (with its rate for mileage), totals, the history and who entered it. Opening it is
// written to the audit trail (a person's payments are financial data).
export function createClaimPage(db: Db, ctx: FeatureContext) {
  const claims = createClaimsRepository(db);
  const review = createReviewRepository(db);
  const { identity, audit } = ctx.services;

  return async function claimPage(viewer: CurrentUser, claimId: number) {
    const claim = await claims.byId(claimId);
    if (!claim || !maySeeClaim(viewer, claim)) throw notFound('claim');
    const [payee, expenses, events] = await Promise.all([
      claims.payeeById(claim.payeeId),
      claims.expenses(claim.id),
      claims.events(claim.id),
    ]);
    const rateIds = [claim.feeRateId, ...expenses.map((e) => e.rateId)].filter((id): id is number => id !== null);
    const rates = new Map((await review.ratesByIds(rateIds)).map((r) => [r.id, r]));
    const people = await identity.accountsByIds([
      claim.userId,
      claim.leadUserId,
      claim.enteredBy,
      claim.approvedBy,
      ...events.map((e) => e.actorUserId),
    ]);
    const nameOf = (id: string | null) => (id ? (people.get(id)?.name ?? null) : null);
    await audit.record({
      actorUserId: viewer.id,
      action: 'claim.viewed-by-staff',
      subjectUserId: claim.userId,
      details: { claimId: claim.id },
    });
    const feeRate = claim.feeRateId ? (rates.get(claim.feeRateId) ?? null) : null;
    const refusal = refusalOf(viewer, claim);
    return {
      claim,
      reference: `C${claim.id}`,
      person: {
        name: nameOf(claim.userId) ?? payee?.name ?? '',
        payeeReference: payee?.reference ?? '',
        registerHref: claim.userId && canSeeRegister(viewer) ? `/admin/people/${claim.userId}` : null,
      },
      feeRate,
      feeHours: feeRate?.unit === 'hour' ? Math.round((claim.feeQuantity / 60) * 100) / 100 : null,
      expenses: expenses.map((e) => ({
        ...e,
        rate: e.rateId ? (rates.get(e.rateId) ?? null) : null,
        receiptHref: e.receiptKey && canSeeFinance(viewer) ? `/admin/finance/claims/${claim.id}/receipts/${e.id}` : null,
      })),
      history: events.map((e) => ({ ...e, actorName: nameOf(e.actorUserId) })),
      leadName: nameOf(claim.leadUserId),
      enteredByName: claim.enteredBy ? (nameOf(claim.enteredBy) ?? '') : null,
      approvedByName: nameOf(claim.approvedBy),
      canSeeReceipts: canSeeFinance(viewer),
      mayDecide: refusal === null,
      refusal: claim.status === 'submitted' ? (refusal?.message ?? null) : null,
    };
  };
}
export type ClaimPage = Awaited<ReturnType<ReturnType<typeof createClaimPage>>>;
