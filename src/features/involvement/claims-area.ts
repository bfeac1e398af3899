import type { FeatureArea } from '#src/platform/feature.ts';

// Claims people make: the fee and expenses for an involvement record, receipts, the benefits
// advice, and "What I have done" at /profile/involvement. (Being built: issue 13.)
export const claimsArea: FeatureArea = {};
