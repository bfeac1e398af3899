import type { FeatureArea } from '#src/platform/feature.ts';

// Staff commission a review: the document, the brief, questions, deadline, fee and reviewers;
// invitations by email with a link to accept or decline. (Being built: issue 14.)
export const commissionArea: FeatureArea = {};
