import { z } from 'zod';
import type { Db } from '#src/db/client.ts';
import { hasControlCharacters } from '#src/lib/fields.ts';
import { ok, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { canSeeFinance, canSeeRegister, isAdmin, type CurrentUser } from '#src/platform/identity/roles.ts';
import { createClaimSteps } from './claim-steps.ts';
import { createClaimsRepository, type ClaimRow } from './claims-repository.ts';
import { daysBetween } from './review-dates.ts';
import { createReviewRepository, type Approver } from './review-repository.ts';
import { claimStatuses, type ClaimStatus } from './tables.ts';

const V = 'claimReview.admin.validation';

// What staff decide about a submitted claim, and the status each decision gives it.
export const decisions = { approve: 'approved', return: 'returned', reject: 'rejected' } as const;
export type Decision = keyof typeof decisions;

export type DecisionResult = { ok: true; value: ClaimRow } | { ok: false; errors: FieldErrors; status: 400 | 403 | 404 | 409 };

const approver = (u: CurrentUser): Approver => ({ id: u.id, admin: isAdmin(u), register: canSeeRegister(u) });

// Who may approve: the claim's staff lead; when it has none, admins and involvement staff; admins
// may approve any claim.
export function mayApprove(u: CurrentUser, c: ClaimRow): boolean {
  const [admin, register] = [isAdmin(u), canSeeRegister(u)];
  return admin || c.leadUserId === u.id || (!c.leadUserId && register);
}

// Who may open a claim's page: whoever sees claims in general (register or finance staff), and the
// staff named on it.
export function maySeeClaim(u: CurrentUser, c: ClaimRow): boolean {
  const named = [c.leadUserId, c.enteredBy, c.userId].includes(u.id);
  return named || canSeeRegister(u) || canSeeFinance(u);
}

const statusRefusals: Partial<Record<ClaimStatus, string>> = {
  draft: 'notSubmitted',
  returned: 'notSubmitted',
  approved: 'alreadyApproved',
  exported: 'withFinance',
  paid: 'alreadyPaid',
  rejected: 'alreadyRejected',
};

// Why this person may not take a decision on this claim now, or null when they may. Separation of
// duties first: nobody decides about their own claim or one they entered for someone else.
export function refusalOf(u: CurrentUser, c: ClaimRow): { message: string; status: 403 | 409 } | null {
  if (c.userId === u.id) return { message: msg(`${V}.ownClaim`), status: 403 };
  if (c.enteredBy === u.id) return { message: msg(`${V}.enteredByYou`), status: 403 };
  if (!mayApprove(u, c)) return { message: msg(`${V}.notLead`), status: 403 };
  const refusal = statusRefusals[c.status];
  return refusal ? { message: msg(`${V}.${refusal}`), status: 409 } : null;
}

const noteField = (key: string) =>
  z
    .string({ error: msg(`${V}.${key}.missing`) })
    .min(1, msg(`${V}.${key}.missing`))
    .max(2000, msg(`${V}.${key}.tooLong`))
    .refine((v) => !hasControlCharacters(v), msg(`${V}.${key}.characters`))
    .transform((v) => v.replace(/\r\n?/g, '\n'));
const ReturnSchema = z.object({ comment: noteField('comment') });
const RejectSchema = z.object({ reason: noteField('reason') });

// Approving, returning for changes and rejecting submitted claims, each in one transaction with
// the claim locked: the step, its history, the audit entry and the email to the person.
export function createClaimReviewService(db: Db, ctx: FeatureContext) {
  const claimsRepo = createClaimsRepository(db);
  const repo = createReviewRepository(db);
  const steps = createClaimSteps(db, ctx);

  async function decide(user: CurrentUser, claimId: number, decision: Decision, note: string | null): Promise<DecisionResult> {
    const to = decisions[decision];
    return db.transaction(async (tx): Promise<DecisionResult> => {
      const claim = await claimsRepo.lock(claimId, tx);
      if (!claim || !maySeeClaim(user, claim)) return { ok: false, errors: { form: msg(`${V}.notFound`) }, status: 404 };
      const refused = refusalOf(user, claim);
      if (refused) return { ok: false, errors: { form: refused.message }, status: refused.status };
      const changes: Partial<ClaimRow> =
        decision === 'approve' ? { approvedAt: new Date(), approvedBy: user.id, decisionNote: null } : { decisionNote: note };
      const moved = await steps.move(claim, to, user.id, { note, changes, audit: `claim.${to}`, tx });
      return ok(moved);
    });
  }

  return {
    approve: (user: CurrentUser, claimId: number) => decide(user, claimId, 'approve', null),
    // A comment is required: it tells the person what to change.
    async returnForChanges(user: CurrentUser, claimId: number, form: unknown): Promise<DecisionResult> {
      const v = validateForm(ReturnSchema, form);
      if (!v.ok) return { ...v, status: 400 };
      return decide(user, claimId, 'return', v.value.comment);
    },
    // A reason is required: the person is told it.
    async reject(user: CurrentUser, claimId: number, form: unknown): Promise<DecisionResult> {
      const v = validateForm(RejectSchema, form);
      if (!v.ok) return { ...v, status: 400 };
      return decide(user, claimId, 'reject', v.value.reason);
    },

    // Submitted claims this person may approve, with the days each has waited.
    async waitingFor(user: CurrentUser, now = new Date()) {
      return (await repo.waitingFor(approver(user))).map((c) => ({ ...c, daysWaiting: daysBetween(c.submittedAt ?? c.createdAt, now) }));
    },
    waitingCount: (user: CurrentUser) => repo.waitingCount(approver(user)),

    // How many claims are in each status (every status, zero included).
    async counts(): Promise<Record<ClaimStatus, number>> {
      const found = new Map((await repo.countsByStatus()).map((r) => [r.status, r.n]));
      return Object.fromEntries(claimStatuses.map((s) => [s, found.get(s) ?? 0])) as Record<ClaimStatus, number>;
    },
    withStatus: (status: ClaimStatus) => repo.withStatus(status),
  };
}
export type ClaimReviewService = ReturnType<typeof createClaimReviewService>;
