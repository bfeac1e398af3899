import { combineAreas } from '#src/platform/feature.ts';
import { recordsArea } from './records-area.ts';
import { claimsArea } from './claims-area.ts';
import { reviewArea } from './review-area.ts';
import { financeArea } from './finance-area.ts';
import { seedDemoInvolvement } from './demo.ts';
import { claimEvents, claimExpenses, claims, financeExports, involvementRecords, payees, paymentDeclarations, rates } from './tables.ts';

// Involvement records, fees and expenses (issue 13; README "Involvement, fees and expenses"):
// every piece of involvement is a record; a rate card prices it; people claim the fee and their
// expenses with receipts; staff approve; finance exports and marks claims paid.
// Areas, each in its own file: records (records-*.ts), claims people make (claims-*.ts), staff
// review and the rate card (review-*.ts, rates-*.ts), and finance (finance-*.ts).
// Records and declarations go with the account (foreign keys cascade); claims that must be kept for
// the accounts stay under the payee's reference, with the name and bank details removed.
export const involvementFeature = combineAreas(
  'involvement',
  [involvementRecords, rates, payees, claims, claimExpenses, claimEvents, financeExports, paymentDeclarations],
  [recordsArea, claimsArea, reviewArea, financeArea, { seed: seedDemoInvolvement }],
);
