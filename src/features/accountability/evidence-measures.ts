import type { FeatureContext } from '#src/platform/feature.ts';

// The evidence the platform computes itself, shown beside each standard it bears on (issue 15).
// A standard lists measure keys (standards.measures); each key is computed here for a round's
// period from the owning features' services, and kept in the round when it is completed.
// Words are catalogue keys, so a kept measure reads in the page's language.

export const measureKeys = [
  'opportunities.payment-and-access-stated',
  'opportunities.applicant-diversity',
  'opportunities.outcome-told',
  'meetings.access-requests-arranged',
  'said-did.entries-per-group',
  'payments.days-to-pay',
  'reviews.comments-answered',
  'commitments.on-track',
] as const;
export type MeasureKey = (typeof measureKeys)[number];

export type MeasureFigure = {
  // A catalogue key ("accountability.measures.figures.share-stated") and its values.
  label: string;
  values?: Record<string, string | number>;
  value: number | null;
  unit: 'percent' | 'days' | 'count';
};

export type Measure = {
  key: MeasureKey;
  // Catalogue keys for its title and the sentence that says how it is counted.
  title: string;
  method: string;
  figures: MeasureFigure[];
  // Set when there is too little to show (fewer than 5 people in a group, nothing in the period).
  note?: string;
};

export type Period = { from: string; to: string };

// Filled in by the measures work: every key computed for the period.
export async function computeMeasures(_ctx: FeatureContext, _keys: readonly string[], _period: Period): Promise<Measure[]> {
  return [];
}
