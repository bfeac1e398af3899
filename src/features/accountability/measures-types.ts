import type { FeatureContext } from '#src/platform/feature.ts';

// The shape of the evidence the platform computes (evidence-measures.ts says what each is and
// computes them); in a module of its own so each measure's file can use it without an import loop.

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
