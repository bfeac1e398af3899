import type { FeatureContext } from '#src/platform/feature.ts';
import { activityMeasures } from './measures-activity.ts';
import { opportunityMeasures } from './measures-opportunities.ts';
import { ownMeasures } from './measures-own.ts';

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
  // A catalogue key ("measures.figures.statedPayment") and its values.
  label: string;
  values?: Record<string, string | number>;
  value: number | null;
  unit: 'percent' | 'days' | 'count';
};

// A small table of counts (the diversity of applicants against those selected): every word a
// catalogue key; a cell is null when it is not shown (a group smaller than 5).
export type MeasureTable = {
  caption: string;
  columns: string[];
  rows: { label: string; cells: (number | null)[] }[];
};

export type Measure = {
  key: MeasureKey;
  // Catalogue keys for its title and the sentence that says how it is counted.
  title: string;
  method: string;
  figures: MeasureFigure[];
  tables?: MeasureTable[];
  // Set when there is too little to show (fewer than 5 people in a group, nothing in the period).
  note?: string;
};

export type Period = { from: string; to: string };

export type MeasureComputer = (ctx: FeatureContext, period: Period) => Promise<Measure>;

const computers: Record<MeasureKey, MeasureComputer> = { ...opportunityMeasures, ...activityMeasures, ...ownMeasures };

export const isMeasureKey = (key: string): key is MeasureKey => (measureKeys as readonly string[]).includes(key);

// Every known key asked for, once each, in the order asked (a key no longer known is left out).
export async function computeMeasures(ctx: FeatureContext, keys: readonly string[], period: Period): Promise<Measure[]> {
  const wanted = [...new Set(keys)].filter(isMeasureKey);
  return Promise.all(wanted.map((key) => computers[key](ctx, period)));
}
