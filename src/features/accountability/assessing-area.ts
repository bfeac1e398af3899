import type { FeatureArea } from '#src/platform/feature.ts';

// Contributors co-assessing a round, and the measures the platform computes (filled in by its work).
export const assessingArea: FeatureArea = {};
