import type { Feature } from '#src/platform/feature.ts';
import selectionRoutes from './selection-routes.ts';
import offerRoutes from './selection-offer-routes.ts';
import { createSelectionService, type SelectionService } from './selection-service.ts';
import {
  applicationAnswers,
  applicationReviews,
  applications,
  opportunities,
  opportunityAlerts,
  opportunityInvitations,
  opportunityQuestions,
} from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    selection: SelectionService;
  }
}

// Opportunities to get involved: staff write and publish them, the public finds them, contributors
// apply, staff select fairly and tell every applicant the outcome (issue 11; README "Opportunities").
// Three areas, each with its own routes and service: publishing (routes.ts, admin-routes.ts,
// service.ts), applying (applications-*.ts) and selecting (selection-*.ts).
export const opportunitiesFeature: Feature = {
  name: 'opportunities',
  services: (ctx) => ({
    selection: createSelectionService(ctx.db, ctx),
  }),
  async routes(app) {
    await app.register(selectionRoutes);
    await app.register(offerRoutes);
  },
  auditActions: {
    'application.list-viewed-by-staff': 'Staff looked at the applications to an opportunity',
    'application.viewed-by-staff': 'Staff looked at an application',
    'application.decision-made': 'Staff changed the decision on an application',
    'application.reviewed': 'Staff scored or wrote notes on an application',
    'application.feedback-written': 'Staff wrote feedback for an applicant',
    'application.outcomes-sent': 'Staff told applicants the outcome',
    'application.fairness-viewed': 'Staff looked at the fair selection view of an opportunity',
    'application.place-offered': 'Staff offered a place to someone on the waiting list',
    'application.offer-accepted': 'Someone accepted the place offered from the waiting list',
    'application.offer-declined': 'Someone declined the place offered from the waiting list',
  },
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
