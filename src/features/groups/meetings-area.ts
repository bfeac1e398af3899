import type { FeatureArea } from '#src/platform/feature.ts';

// Meetings and open events: registration, the waiting list, access requests, attendance and
// minutes (README "Meetings").
export const meetingsArea: FeatureArea = {};
