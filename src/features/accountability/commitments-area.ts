import type { Feature, FeatureArea } from '#src/platform/feature.ts';

// Public commitments with progress (filled in by the commitments work).
export const commitmentsArea: FeatureArea = {};

// The commitment page is commentable and followable (declared on the feature, not an area).
export const commitmentPages: Pick<Feature, 'commentable' | 'followable'> = {};
