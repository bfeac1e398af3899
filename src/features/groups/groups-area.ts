import type { FeatureArea } from '#src/platform/feature.ts';

// Groups, their members, invitations, documents and announcements (README "Groups").
export const groupsArea: FeatureArea = {};
