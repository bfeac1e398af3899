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
import { createApplicationsService, type ApplicationsService } from './applications-service.ts';
import applicationRoutes from './applications-routes.ts';
import { applicationsRetention, createDigestJob } from './applications-jobs.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    applications: ApplicationsService;
  }
}

// Opportunities to get involved: staff write and publish them, the public finds them, contributors
// apply, staff select fairly and tell every applicant the outcome (issue 11; README "Opportunities").
// Three areas, each with its own routes and service: publishing (routes.ts, admin-routes.ts,
// service.ts), applying (applications-*.ts) and selecting (selection-*.ts).
export const opportunitiesFeature: Feature = {
  name: 'opportunities',
  services: (ctx) => ({ applications: createApplicationsService(ctx.db, ctx) }),
  async routes(app) {
    await app.register(applicationRoutes);
  },
  jobs: createDigestJob(),
  retention: [applicationsRetention],
  auditActions: {
    'opportunity.applications-erased': 'Applications to an archived opportunity were erased (retention); only counts were kept',
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
    async export({ services }, userId) {
      return { applications: await services.applications.exportFor(userId) };
    },
    sections: [{ template: 'opportunities/views/applications/_my-data.njk', order: 60 }],
  },
};
