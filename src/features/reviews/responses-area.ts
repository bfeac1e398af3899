import type { FeatureArea } from '#src/platform/feature.ts';
import { canSeeRegister } from '#src/platform/identity/roles.ts';
import collateRoutes from './collate-routes.ts';
import responsesRoutes from './responses-routes.ts';
import { createReviewEvidence } from './evidence-service.ts';
import { createResponsesService, type ResponsesService } from './responses-service.ts';
import summaryRoutes from './summary-routes.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    reviewResponses: ResponsesService;
  }
}

// Staff collate every answer and comment, respond to each ("you said, we did"), send the response
// to reviewers and may publish a summary (README "Document reviews"). Comments are kept without a
// name when a reviewer deletes their account (the foreign key sets it null; ADR 24), and with
// them the responses; answers go with the account. The reviewing area exports a person's comments.
export const responsesArea: FeatureArea = {
  services: (ctx) => ({ reviewResponses: createResponsesService(ctx.db, ctx), reviewEvidence: createReviewEvidence(ctx.db) }),
  // The footer links to the whole "you said, we did" log (accountability feature), which links here.
  async routes(app) {
    // Separate plugins so each access check covers only its own routes.
    await app.register(collateRoutes);
    await app.register(responsesRoutes);
    await app.register(summaryRoutes);
  },
  async adminSummary({ services }, user) {
    if (!canSeeRegister(user)) return [];
    return [{ text: 'reviewResponses.admin.waiting', href: '/admin/reviews', count: await services.reviewResponses.unansweredCount() }];
  },
  auditActions: {
    'review.collated-viewed': "Staff looked at a review's collated comments and answers (on screen or to print)",
    'review.exported': "Staff downloaded a review's comments and answers as a spreadsheet",
    'review.responses-sent': 'Staff emailed reviewers the responses to their comments',
    'review.summary-published': 'Staff published (or changed) the public "you said, we did" summary of a review',
  },
};
