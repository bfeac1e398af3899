import type { FeatureArea } from '#src/platform/feature.ts';

// Staff: the rate card, records written by hand, and approving, returning or rejecting claims.
// (Being built: issue 13.)
export const reviewArea: FeatureArea = {};
