import type { Translator } from '#src/lib/i18n.ts';
import type { ClaimEventRow, ClaimRow, ExpenseRow } from './claims-repository.ts';
import type { ClaimStatus } from './tables.ts';

// The NHS tag colour for each status, the same wherever a claim's status is shown.
export const statusTagClass: Record<ClaimStatus, string> = {
  draft: 'nhsuk-tag--grey',
  submitted: 'nhsuk-tag--blue',
  returned: 'nhsuk-tag--orange',
  approved: 'nhsuk-tag--aqua-green',
  exported: 'nhsuk-tag--purple',
  paid: 'nhsuk-tag--green',
  rejected: 'nhsuk-tag--red',
};

// A claim as its page shows it: lines with their words, history, and what the person may do next.
export function presentClaim(tr: Translator, found: { claim: ClaimRow; expenses: ExpenseRow[]; events: ClaimEventRow[] }) {
  const { claim } = found;
  return {
    claim,
    reference: `C${claim.id}`,
    statusText: tr.t(`claims.status.${claim.status}`),
    statusClass: statusTagClass[claim.status],
    feeChoiceText: tr.t(`claims.feeChoices.${claim.feeChoice}`),
    expenses: found.expenses.map((e) => ({
      ...e,
      kindText: tr.t(`claims.kinds.${e.kind}`),
      milesText: e.miles === null ? '' : tr.t('claims.page.miles', { miles: e.miles }),
    })),
    events: found.events.map((e) => ({ ...e, statusText: tr.t(`claims.status.${e.status}`) })),
    canChange: claim.status === 'draft' || claim.status === 'returned',
    canWithdraw: claim.status === 'draft',
    showNote: !!claim.decisionNote && (claim.status === 'returned' || claim.status === 'rejected'),
  };
}
