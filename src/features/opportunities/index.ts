import type { Feature } from '#src/platform/feature.ts';
import {
  applicationAnswers,
  applicationReviews,
  applications,
  opportunities,
  opportunityAlerts,
  opportunityInvitations,
  opportunityQuestions,
} from './tables.ts';

// Opportunities to get involved: staff write and publish them, the public finds them, contributors
// apply, staff select fairly and tell every applicant the outcome (issue 11; README "Opportunities").
// Three areas, each with its own routes and service: publishing (routes.ts, admin-routes.ts,
// service.ts), applying (applications-*.ts) and selecting (selection-*.ts).
export const opportunitiesFeature: Feature = {
  name: 'opportunities',
  personalData: {
    // Applications, their answers, invitations and alerts go with the account (foreign keys
    // cascade); an opportunity names only the staff who wrote it and its staff contact.
    tables: [
      opportunities,
      opportunityQuestions,
      applications,
      applicationAnswers,
      applicationReviews,
      opportunityInvitations,
      opportunityAlerts,
    ],
  },
};
