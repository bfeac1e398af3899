import type { Db, Tx } from '#src/db/client.ts';
import { notFound } from '#src/lib/errors.ts';
import type { FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createClaimSteps, editable } from './claim-steps.ts';
import { createClaimsMakingRepository } from './claims-making-repository.ts';
import { feePenceFor } from './claims-pricing.ts';
import { createClaimsRepository, type ClaimRow } from './claims-repository.ts';
import { feeFor, taxYearOf } from './money.ts';
import { feeChoices, type FeeChoice } from './tables.ts';

const V = 'claims.validation.beforeYouSend';
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const oneOf = <T extends string>(v: unknown, list: readonly T[]): T | null => (list.includes(text(v) as T) ? (text(v) as T) : null);

export type Declaration = { benefits: boolean; publicSector: boolean; taxYear: string };
export type DeclarationAnswers = { payment: string; partOfJob: string; employerAllows: string };
export type ConfirmResult =
  | { kind: 'sent' | 'nothing-to-pay' | 'not-editable'; claim: ClaimRow }
  | { kind: 'invalid'; errors: FieldErrors; values: DeclarationAnswers; declaration: Declaration };

// Before a person's first paid claim of a UK tax year: plain-English benefits advice for someone
// whose profile says they receive benefits, and the questions for public-sector employees. Their
// answers are kept (one set per person per tax year) and may change how they are paid.
export function createClaimsDeclarations(db: Db, ctx: FeatureContext) {
  const shared = createClaimsRepository(db);
  const repo = createClaimsMakingRepository(db);
  const steps = createClaimSteps(db, ctx);

  async function needed(userId: string, claim: ClaimRow, runner: Db | Tx = db): Promise<Declaration | null> {
    if (claim.feeChoice === 'declined' || claim.feePence === 0) return null;
    const p = await ctx.services.profile.profile(userId, runner);
    const benefits = p?.receivesBenefits === 'yes';
    const publicSector = p?.publicSectorEmployee === 'yes' || p?.publicSectorEmployee === 'not-sure';
    if (!benefits && !publicSector) return null;
    const taxYear = taxYearOf(claim.activityOn);
    if (await repo.declarationOf(userId, taxYear, runner)) return null;
    return { benefits, publicSector, taxYear };
  }

  function read(d: Declaration, form: Record<string, unknown>) {
    const values: DeclarationAnswers = {
      payment: text(form.payment),
      partOfJob: text(form.partOfJob),
      employerAllows: text(form.employerAllows),
    };
    const errors: FieldErrors = {};
    const payment = oneOf(form.payment, feeChoices);
    if (!payment) errors.payment = msg(`${V}.payment`);
    const partOfJob = d.publicSector ? oneOf(form.partOfJob, ['yes', 'no'] as const) : null;
    if (d.publicSector && !partOfJob) errors.partOfJob = msg(`${V}.partOfJob`);
    const employerAllows = d.publicSector ? oneOf(form.employerAllows, ['yes', 'no', 'not-sure'] as const) : null;
    if (d.publicSector && partOfJob !== 'yes' && !employerAllows) errors.employerAllows = msg(`${V}.employerAllows`);
    // Involvement that is part of their paid job is not paid again: expenses only.
    const choice: FeeChoice = partOfJob === 'yes' ? 'declined' : (payment ?? 'fee');
    const answers: Record<string, string> = { payment: payment ?? '', feeChoice: choice };
    if (d.benefits) answers.benefitsAdviceShown = 'yes';
    if (partOfJob) answers.partOfJob = partOfJob;
    if (employerAllows && partOfJob !== 'yes') answers.employerAllows = employerAllows;
    return { values, errors, choice, answers };
  }

  // The fee the claim would pay if taken, from the rate and quantity it recorded.
  async function fullFee(claim: ClaimRow, tx: Tx) {
    const rate = claim.feeRateId ? await repo.rateById(claim.feeRateId, tx) : null;
    return rate ? feeFor(rate.unit, rate.amountPence, claim.feeQuantity, claim.feeQuantity).pence : 0;
  }

  async function send(user: CurrentUser, claim: ClaimRow, tx: Tx) {
    return steps.move(claim, 'submitted', user.id, { changes: { submittedAt: new Date() }, audit: 'claim.submitted', tx });
  }

  return {
    needed,

    // The answers, then the claim sent, in one transaction; the claim stays a draft until then.
    async confirmAndSend(user: CurrentUser, claimId: number, form: Record<string, unknown>): Promise<ConfirmResult> {
      const found = await shared.byId(claimId);
      if (!found || found.userId !== user.id) throw notFound('claim');
      if (!editable(found.status)) return { kind: 'not-editable', claim: found };
      const d = await needed(user.id, found);
      const r = d ? read(d, form) : null;
      if (d && r && Object.keys(r.errors).length) return { kind: 'invalid', errors: r.errors, values: r.values, declaration: d };
      return db.transaction(async (tx): Promise<ConfirmResult> => {
        const claim = await shared.lock(claimId, tx);
        if (!claim || !editable(claim.status)) return { kind: 'not-editable', claim: claim ?? found };
        if (!d || !r) return { kind: 'sent', claim: await send(user, claim, tx) };
        await repo.addDeclaration(user.id, d.taxYear, r.answers, tx);
        const feePence = feePenceFor(r.choice, await fullFee(claim, tx));
        const changes = { feeChoice: r.choice, feePence, totalPence: feePence + claim.expensesPence };
        await shared.update(claim.id, changes, tx);
        const changed = { ...claim, ...changes };
        // No payment and no expenses: nothing to send; the draft waits (or is withdrawn).
        if (changed.totalPence === 0) return { kind: 'nothing-to-pay', claim: changed };
        return { kind: 'sent', claim: await send(user, changed, tx) };
      });
    },
  };
}
