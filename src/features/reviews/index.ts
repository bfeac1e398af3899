import { combineAreas } from '#src/platform/feature.ts';
import { commissionArea } from './commission-area.ts';
import { reviewingArea } from './reviewing-area.ts';
import { responsesArea } from './responses-area.ts';
import { seedDemoReviews } from './demo.ts';
import { reviewAnswers, reviewComments, reviewRequests, reviewResponses, reviewReviewers, reviews } from './tables.ts';

// Document reviews (issue 14; README "Document reviews"): contributors as peer reviewers of
// reports, leaflets, web pages and the house style guide. Three areas, each in its own file:
// commissioning (commission-*.ts), reviewing (reviewing-*.ts) and responding (responses-*.ts).
// Reviewers, their answers and requests go with the account (foreign keys cascade); their section
// comments stay for the organisation's record with no reviewer named (ADR 24).
export const reviewsFeature = combineAreas(
  'reviews',
  [reviews, reviewReviewers, reviewAnswers, reviewComments, reviewResponses, reviewRequests],
  [commissionArea, reviewingArea, responsesArea, { seed: seedDemoReviews }],
);
