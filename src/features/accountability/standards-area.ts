import type { FeatureArea } from '#src/platform/feature.ts';
import standardsAssessmentRoutes from './standards-assessment-routes.ts';
import { createStandardsEvidenceService, type StandardsEvidenceService } from './standards-evidence-service.ts';
import standardsFrameworksRoutes from './standards-frameworks-routes.ts';
import { createStandardsFrameworksService, type StandardsFrameworksService } from './standards-frameworks-service.ts';
import standardsPublicRoutes from './standards-public-routes.ts';
import standardsRoundsRoutes from './standards-rounds-routes.ts';
import { createStandardsRoundsService, type StandardsRoundsService } from './standards-rounds-service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    // Admins keep the frameworks of standards (shipped as data in frameworks/*.json).
    standardsFrameworks: StandardsFrameworksService;
    // Staff assessment rounds: create, rate, complete (keeping the measures), publish.
    standardsRounds: StandardsRoundsService;
    // Evidence and actions to improve for a standard in a round; an action becomes a commitment.
    standardsEvidence: StandardsEvidenceService;
  }
}

// Involvement standards and assessment rounds (issue 15; README "Involvement standards"): the
// frameworks as data, staff rounds with ratings, evidence, actions, the measures the platform
// computes and the contributors' view beside them, and a public summary of each published round.
export const standardsArea: FeatureArea = {
  services: (ctx) => ({
    standardsFrameworks: createStandardsFrameworksService(ctx.db, ctx),
    standardsRounds: createStandardsRoundsService(ctx.db, ctx),
    standardsEvidence: createStandardsEvidenceService(ctx.db, ctx),
  }),
  async routes(app) {
    // Separate plugins, so each guard covers only its own routes.
    await app.register(standardsFrameworksRoutes);
    await app.register(standardsRoundsRoutes);
    await app.register(standardsAssessmentRoutes);
    await app.register(standardsPublicRoutes);
  },
  // Base data, not demo: the frameworks we ship, inserted when missing.
  async ready({ services }) {
    await services.standardsFrameworks.ensureFrameworks();
  },
  adminLinks: [
    { href: '/admin/standards', order: 42, text: 'standardsStaff.admin.nav.text', description: 'standardsStaff.admin.nav.description' },
  ],
  footerNav: [{ href: '/standards', text: 'standards.nav.footer' }],
  async adminSummary({ services }) {
    return [{ text: 'standardsStaff.admin.nav.open', href: '/admin/standards', count: await services.standardsRounds.countOpen() }];
  },
  auditActions: {
    'standards.round-completed': 'Staff completed an involvement standards assessment round (ratings frozen, measures kept)',
    'standards.round-published': 'Staff published the summary of an involvement standards assessment round',
    'standards.round-unpublished': 'Staff took down the public summary of an involvement standards assessment round',
  },
};
