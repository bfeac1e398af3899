import type { Feature } from '#src/platform/feature.ts';
import { canSeeRegister } from '#src/platform/identity/roles.ts';
import publicRoutes from './routes.ts';
import adminRoutes from './admin-routes.ts';
import { startClosingJob, stopClosingJob } from './closing-job.ts';
import { seedDemoOpportunities } from './demo.ts';
import { seedDemoApplications } from './demo-applications.ts';
import { createOpportunitiesService, type OpportunitiesService } from './service.ts';
import selectionRoutes from './selection-routes.ts';
import offerRoutes from './selection-offer-routes.ts';
import { createSelectionService, type SelectionService } from './selection-service.ts';
import { createApplicationsService, type ApplicationsService } from './applications-service.ts';
import applicationRoutes from './applications-routes.ts';
import { applicationsRetention, createDigestJob } from './applications-jobs.ts';
import questionRoutes from './questions-routes.ts';
import { createQuestionsService, type QuestionsService } from './questions-service.ts';
import rosterRoutes from './roster-routes.ts';
import { createOpportunityEvidence } from './evidence-service.ts';
import { createMatchService, type MatchService } from './match-service.ts';
import { createAlertJob } from './match-alerts.ts';
import matchRoutes from './match-routes.ts';
import matchAdminRoutes from './match-admin-routes.ts';
import {
  applicationAnswers,
  applicationReviews,
  applications,
  opportunities,
  opportunityAlerts,
  opportunityContactOptouts,
  opportunityEmailChoices,
  opportunityInvitations,
  opportunityQuestions,
} from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    opportunities: OpportunitiesService;
    selection: SelectionService;
    applications: ApplicationsService;
    opportunityQuestions: QuestionsService;
    opportunityMatches: MatchService;
  }
}

// Opportunities to get involved: staff write and publish them, the public finds them, contributors
// apply, staff select fairly and tell every applicant the outcome (issue 11; README "Opportunities").
// Three areas, each with its own routes and service: publishing (routes.ts, admin-routes.ts,
// service.ts), applying (applications-*.ts) and selecting (selection-*.ts); matching people and
// opportunities (match-*.ts: alerts, suggestions, invitations) spans them.
const digestJob = createDigestJob();
const alertJob = createAlertJob();

export const opportunitiesFeature: Feature = {
  name: 'opportunities',
  services: (ctx) => {
    const { db, config, i18n, log, services } = ctx;
    return {
      opportunities: createOpportunitiesService(db, {
        config,
        i18n,
        log,
        mail: services.mail,
        audit: services.audit,
        identity: services.identity,
        profile: services.profile,
      }),
      applications: createApplicationsService(db, ctx),
      selection: createSelectionService(db, ctx),
      opportunityQuestions: createQuestionsService(db, ctx),
      opportunityMatches: createMatchService(db, ctx),
      opportunityEvidence: createOpportunityEvidence(db, ctx),
    };
  },
  async routes(app) {
    // Separate plugins so the staff access check covers only the staff routes.
    await app.register(publicRoutes);
    await app.register(adminRoutes);
    await app.register(applicationRoutes);
    await app.register(selectionRoutes);
    await app.register(offerRoutes);
    await app.register(questionRoutes);
    await app.register(rosterRoutes);
    await app.register(matchRoutes);
    await app.register(matchAdminRoutes);
  },
  // Closing opportunities on time, the contacts' daily digest of applications, and the daily
  // alerts of new opportunities to the people they match.
  jobs: {
    async start(ctx) {
      await startClosingJob(ctx);
      await digestJob.start(ctx);
      await alertJob.start(ctx);
    },
    async stop(ctx) {
      await alertJob.stop?.(ctx);
      await digestJob.stop?.(ctx);
      await stopClosingJob(ctx);
    },
  },
  retention: [applicationsRetention],
  auditActions: {
    'opportunity.published': 'Staff published an opportunity',
    'opportunity.closed': 'Staff closed an opportunity to applications',
    'opportunity.extended': 'Staff extended the closing date of an opportunity (applicants told)',
    'opportunity.reopened': 'Staff reopened an opportunity with a new closing date (applicants told)',
    'opportunity.selection-done': 'Staff marked the selection for an opportunity done',
    'opportunity.archived': 'Staff archived an opportunity',
    'opportunity.questions-changed': 'Staff added, changed, moved or removed a question for applicants',
    'opportunity.applications-erased': 'Applications to an archived opportunity were erased (retention); only counts were kept',
    'application.list-viewed-by-staff': 'Staff looked at the applications to an opportunity',
    'application.viewed-by-staff': 'Staff looked at an application',
    'application.decision-made': 'Staff changed the decision on an application',
    'application.reviewed': 'Staff scored or wrote notes on an application',
    'application.feedback-written': 'Staff wrote feedback for an applicant',
    'application.outcomes-sent': 'Staff told applicants the outcome',
    'application.participants-viewed-by-staff': 'Staff looked at the participants (selected applicants) of an opportunity',
    'application.exported-by-staff': 'Staff exported applications to an opportunity (CSV)',
    'application.fairness-viewed': 'Staff looked at the fair selection view of an opportunity',
    'application.place-offered': 'Staff offered a place to someone on the waiting list',
    'application.offer-accepted': 'Someone accepted the place offered from the waiting list',
    'application.offer-declined': 'Someone declined the place offered from the waiting list',
    'opportunity.suggestions-viewed': 'Staff looked at a contributor suggested for an opportunity',
    'opportunity.invitations-sent': 'Staff invited contributors to apply for an opportunity',
  },
  mainNav: [{ href: '/opportunities', text: 'opportunities.nav.main' }],
  adminLinks: [
    {
      href: '/admin/opportunities',
      order: 35,
      text: 'opportunities.nav.admin.text',
      description: 'opportunities.nav.admin.description',
      registerOnly: true,
    },
  ],
  async adminSummary({ services }, user) {
    if (!canSeeRegister(user)) return [];
    const counts = await services.opportunities.counts();
    return [
      { text: 'opportunities.nav.admin.waiting.open', href: '/admin/opportunities?status=open', count: counts.open ?? 0 },
      { text: 'opportunities.nav.admin.waiting.toSelect', href: '/admin/opportunities?status=closed', count: counts.closed ?? 0 },
    ];
  },
  // Opportunities first, then applications to them from the demo contributors (seeded earlier by
  // the profile feature) with the demo reviewer's scores (staff accounts'); see demo-applications.ts.
  async seed({ db, services }) {
    const seeded = await seedDemoOpportunities(db);
    await seedDemoApplications(db, services, seeded);
  },
  personalData: {
    // Applications, their answers, invitations, alerts and the choices about opportunity emails go
    // with the account (foreign keys cascade); an opportunity names only the staff who wrote it and
    // its staff contact.
    tables: [
      opportunities,
      opportunityQuestions,
      applications,
      applicationAnswers,
      applicationReviews,
      opportunityInvitations,
      opportunityAlerts,
      opportunityContactOptouts,
      opportunityEmailChoices,
    ],
    async export({ services }, userId) {
      const [applications, opportunityEmails] = await Promise.all([
        services.applications.exportFor(userId),
        services.opportunityMatches.exportFor(userId),
      ]);
      return { applications, opportunityEmails };
    },
    sections: [
      { template: 'opportunities/views/applications/_my-data.njk', order: 60 },
      { template: 'opportunities/views/matches/_my-data.njk', order: 61 },
    ],
  },
};
