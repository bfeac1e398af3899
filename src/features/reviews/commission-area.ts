import type { FeatureArea } from '#src/platform/feature.ts';
import { canSeeRegister } from '#src/platform/identity/roles.ts';
import commissionActionRoutes from './commission-actions-routes.ts';
import commissionRoutes from './commission-routes.ts';
import { createCommissionService, type CommissionService } from './commission-service.ts';
import invitationRoutes from './invitations-routes.ts';
import { createInvitationsService, type ReviewInvitationsService } from './invitations-service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    // Staff commission a review: create, update, open, close, the deadline, questions, requests.
    reviewCommission: CommissionService & { invite: ReviewInvitationsService['invite'] };
    // Choosing reviewers and the invitation link they answer (accept or decline, signed out too).
    reviewInvitations: ReviewInvitationsService;
  }
}

// Staff commission a review: the document, the brief, questions, deadline, fee and reviewers;
// invitations by email with a link to accept or decline (README "Document reviews").
export const commissionArea: FeatureArea = {
  services: (ctx) => {
    const reviewInvitations = createInvitationsService(ctx.db, ctx);
    return { reviewInvitations, reviewCommission: { ...createCommissionService(ctx.db, ctx), invite: reviewInvitations.invite } };
  },
  async routes(app) {
    // Separate plugins so the staff guard covers only the staff routes.
    await app.register(commissionRoutes);
    await app.register(commissionActionRoutes);
    await app.register(invitationRoutes);
  },
  adminLinks: [
    {
      href: '/admin/reviews',
      order: 38,
      text: 'reviewCommission.admin.nav.text',
      description: 'reviewCommission.admin.nav.description',
      registerOnly: true,
    },
  ],
  async adminSummary({ services }, user) {
    if (!canSeeRegister(user)) return [];
    return [
      { text: 'reviewCommission.admin.nav.requests', href: '/admin/reviews', count: await services.reviewCommission.unhandledRequests() },
    ];
  },
  auditActions: {
    'review.created': 'Staff commissioned a document review (a draft: nobody is invited yet)',
    'review.changed': "Staff changed a review's details, document, deadline or questions",
    'review.opened': 'Staff opened a review and emailed the invitations',
    'review.closed': 'Staff closed a review (no more reviews are taken)',
    'review.reviewers-invited': 'Staff invited people to review a document (emailed at once when the review is open)',
    'review.invitation-answered': 'Someone accepted or declined an invitation to review a document (by the emailed link)',
    'review.request-handled': 'Staff marked a reviewer’s request (another format, more time) handled',
    'review.requests-viewed': 'Staff looked at the requests reviewers made about a review (they may name access needs)',
  },
};
