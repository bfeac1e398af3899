import { csvRow } from '#src/lib/csv.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import type { Translator } from '#src/lib/i18n.ts';
import type { ClaimRow } from './claims-repository.ts';
import { penceToPounds } from './money.ts';
import type { FinanceColumn } from './settings.ts';

export type ExportLine = { claim: ClaimRow; payeeReference: string; payeeName: string };

// The columns that hold money, summed in the totals row (integer pence, then written as pounds).
const amounts = { fee: 'feePence', expenses: 'expensesPence', total: 'totalPence' } as const;
const isAmount = (c: FinanceColumn): c is keyof typeof amounts => c in amounts;

function cell(column: FinanceColumn, line: ExportLine, approvers: Map<string, string>, tr: Translator): string {
  const c = line.claim;
  switch (column) {
    case 'claim':
      return `C${c.id}`;
    case 'payee':
      return line.payeeReference;
    case 'name':
      return line.payeeName;
    case 'activity':
      return c.activityTitle;
    case 'activityDate':
      return c.activityOn;
    case 'feeChoice':
      return tr.t(`finance.admin.feeChoice.${c.feeChoice}`);
    case 'approvedOn':
      return c.approvedAt ? todayInLondon(c.approvedAt) : '';
    case 'approvedBy':
      return (c.approvedBy && approvers.get(c.approvedBy)) || '';
    default:
      return penceToPounds(c[amounts[column]]);
  }
}

// The finance CSV: a heading row, one row per claim in the organisation's column order (amounts in
// pounds with two decimals, from whole pence), and a totals row. Every cell passes through
// csvRow, which stops a spreadsheet reading a name such as "=HYPERLINK(…)" as a formula.
export function financeCsv(lines: ExportLine[], columns: FinanceColumn[], approvers: Map<string, string>, tr: Translator): string {
  const totals = { fee: 0, expenses: 0, total: 0 };
  let out = '\uFEFF' + csvRow(columns.map((c) => tr.t(`finance.admin.columns.${c}`)));
  for (const line of lines) {
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += line.claim[amounts[k]];
    out += csvRow(columns.map((c) => cell(c, line, approvers, tr)));
  }
  const labelAt = columns.findIndex((c) => !isAmount(c));
  out += csvRow(
    columns.map((c, i) =>
      isAmount(c) ? penceToPounds(totals[c]) : i === labelAt ? tr.t('finance.admin.csv.totals', { count: lines.length }) : '',
    ),
  );
  return out;
}
