import { sql } from 'drizzle-orm';
import { applicationReviews, applications } from './tables.ts';

// Columns for a query over applications: the mean of the reviewers' scores, and whether one
// reviewer has scored (blind scoring shows the others' scores only then).
export const meanScore = () =>
  sql<
    string | null
  >`(select avg(${applicationReviews.score}) from ${applicationReviews} where ${applicationReviews.applicationId} = ${applications.id})`;
export const scoredBy = (reviewerId: string) =>
  sql<boolean>`exists (select 1 from ${applicationReviews} where ${applicationReviews.applicationId} = ${applications.id} and ${applicationReviews.reviewerId} = ${reviewerId} and ${applicationReviews.score} is not null)`;
