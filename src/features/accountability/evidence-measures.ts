import type { FeatureContext } from '#src/platform/feature.ts';
import { measureKeys, type Measure, type MeasureComputer, type MeasureKey, type Period } from './measures-types.ts';
import { activityMeasures } from './measures-activity.ts';
import { opportunityMeasures } from './measures-opportunities.ts';
import { ownMeasures } from './measures-own.ts';

// The evidence the platform computes itself, shown beside each standard it bears on (issue 15).
// A standard lists measure keys (standards.measures); each key is computed here for a round's
// period from the owning features' services, and kept in the round when it is completed.
// Words are catalogue keys, so a kept measure reads in the page's language.

export { measureKeys };
export type { Measure, MeasureFigure, MeasureKey, MeasureTable, Period } from './measures-types.ts';

const computers: Record<MeasureKey, MeasureComputer> = { ...opportunityMeasures, ...activityMeasures, ...ownMeasures };

export const isMeasureKey = (key: string): key is MeasureKey => (measureKeys as readonly string[]).includes(key);

// Every known key asked for, once each, in the order asked (a key no longer known is left out).
export async function computeMeasures(ctx: FeatureContext, keys: readonly string[], period: Period): Promise<Measure[]> {
  const wanted = [...new Set(keys)].filter(isMeasureKey);
  return Promise.all(wanted.map((key) => computers[key](ctx, period)));
}
