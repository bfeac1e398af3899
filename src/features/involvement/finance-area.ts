import type { FeatureArea } from '#src/platform/feature.ts';

// Finance: exports of approved claims, marking them paid, bank details, totals per tax year,
// reports, and what is kept for the accounts when a person deletes their account. (Being built:
// issue 13.)
export const financeArea: FeatureArea = {};
