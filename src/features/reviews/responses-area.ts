import type { FeatureArea } from '#src/platform/feature.ts';

// Staff collate every answer and comment, respond to each ("you said, we did"), send the response
// to reviewers and may publish a summary. (Being built: issue 14.)
export const responsesArea: FeatureArea = {};
