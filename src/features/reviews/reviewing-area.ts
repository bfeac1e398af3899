import type { FeatureArea } from '#src/platform/feature.ts';

// Reviewers read the document section by section, comment, answer the questions and submit;
// reminders before the deadline; requests for another format or more time. (Being built: issue 14.)
export const reviewingArea: FeatureArea = {};
