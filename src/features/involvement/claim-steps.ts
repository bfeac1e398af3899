import type { Db, Tx } from '#src/db/client.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { createClaimsRepository, type ClaimRow } from './claims-repository.ts';
import type { ClaimStatus } from './tables.ts';

const E = 'claims.emails';

// Which step may follow which. A claim is edited only as a draft or when returned for changes.
export const nextSteps: Record<ClaimStatus, ClaimStatus[]> = {
  draft: ['submitted'],
  returned: ['submitted'],
  submitted: ['approved', 'returned', 'rejected'],
  approved: ['exported', 'rejected'],
  exported: ['paid'],
  paid: [],
  rejected: [],
};
export const editable = (status: ClaimStatus) => status === 'draft' || status === 'returned';

// Moves a claim one step, inside the caller's transaction: the new status and what goes with it,
// an entry in the claim's history, the audit trail, and an email to the person in their language.
// The caller has checked who may take the step (separation of duties); this checks the order.
export function createClaimSteps(db: Db, ctx: FeatureContext) {
  const repo = createClaimsRepository(db);
  const { audit, mail, settings, identity, profile } = ctx.services;

  async function email(claim: ClaimRow, status: ClaimStatus, note: string | null, tx: Db | Tx) {
    if (!claim.userId || status === 'draft') return;
    // One query at a time: inside a transaction on PGlite there is only the one connection.
    const account = await identity.findAccountById(claim.userId, tx);
    if (!account) return;
    const lang = (await profile.profile(claim.userId, tx))?.language;
    const org = await settings.get();
    const tr = ctx.i18n.translator(lang);
    const values = {
      title: claim.activityTitle,
      total: tr.money(claim.totalPence),
      reference: `C${claim.id}`,
      paidOn: claim.paidOn ? tr.date(new Date(`${claim.paidOn}T12:00:00Z`)) : '',
    };
    await mail.enqueue(
      {
        to: account.email,
        lang: tr.lang,
        subject: tr.t(`${E}.${status}.subject`, values),
        heading: tr.t(`${E}.${status}.heading`, values),
        paragraphs: [
          tr.t(`${E}.dear`, { name: account.name }),
          tr.t(`${E}.${status}.text`, values),
          ...(note ? [tr.t(`${E}.note`, { note })] : []),
        ],
        action: {
          text: tr.t(`${E}.action`),
          href: `${ctx.config.baseUrl}/profile/claims/${claim.id}${tr.lang === 'cy' ? '?lang=cy' : ''}`,
        },
        footer: [tr.t(`${E}.footer`, { org: org.name })],
      },
      { key: `claim-${claim.id}-${status}-${Date.now()}`, kind: `claim-${status}`, tx: tx },
    );
  }

  return {
    // `changes` are the columns that go with the step (approvedBy, decisionNote, paidOn …).
    async move(
      claim: ClaimRow,
      to: ClaimStatus,
      actorUserId: string | null,
      opts: { note?: string | null; changes?: Partial<ClaimRow>; audit?: string; tx: Tx },
    ): Promise<ClaimRow> {
      if (!nextSteps[claim.status].includes(to)) throw new Error(`A ${claim.status} claim cannot become ${to}`);
      const { tx } = opts;
      const moved = { ...claim, ...opts.changes, status: to };
      await repo.update(claim.id, { ...opts.changes, status: to }, tx);
      await repo.addEvent(claim.id, to, actorUserId, opts.note ?? null, tx);
      if (opts.audit)
        await audit.record(
          { actorUserId, action: opts.audit, subjectUserId: claim.userId, details: { claimId: claim.id, status: to } },
          tx,
        );
      await email(moved, to, opts.note ?? null, tx);
      return moved;
    },
  };
}
export type ClaimSteps = ReturnType<typeof createClaimSteps>;
