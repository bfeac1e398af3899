import type { FeatureArea } from '#src/platform/feature.ts';

// Involvement standards and assessment rounds (filled in by its work).
export const standardsArea: FeatureArea = {};
