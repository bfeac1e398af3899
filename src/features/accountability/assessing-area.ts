import type { FeatureArea } from '#src/platform/feature.ts';
import assessingRoutes from './assessing-routes.ts';
import { createAssessingService, type AssessingService } from './assessing-service.ts';
import assessingStaffRoutes from './assessing-staff-routes.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    assessing: AssessingService;
  }
}

// Contributors co-assessing a round (README "Involvement standards"): staff invite them, each rates
// and comments on the standards and sends their view, shown beside the staff view without names.
// The measures the platform computes are in evidence-measures.ts and measures-*.ts.
export const assessingArea: FeatureArea = {
  services: (ctx) => ({ assessing: createAssessingService(ctx.db, ctx) }),
  async routes(app) {
    // Separate plugins so each guard covers only its own routes.
    await app.register(assessingRoutes);
    await app.register(assessingStaffRoutes);
  },
  auditActions: {
    'assessment.contributors-invited':
      'Staff invited contributors to co-assess a round of the involvement standards, or changed its closing date',
  },
  personalData: {
    export: async ({ services }, userId) => ({ assessments: await services.assessing.exportFor(userId) }),
    sections: [{ template: 'accountability/views/assessing/_my-data.njk', order: 74 }],
    // Invitations and views go with the account: their foreign keys cascade, so nothing to do here.
    // The views counted on a round's page and public summary lose that person's rating and comment.
  },
};
