import type { FeatureArea } from '#src/platform/feature.ts';
import claimsAdminRoutes from './claims-admin-routes.ts';
import claimsRoutes from './claims-routes.ts';
import { createClaimsService, type ClaimsService } from './claims-service.ts';
import profileInvolvementRoutes from './profile-involvement-routes.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    // Claims people make (or staff make for them): createOrUpdate, forPerson, byIdForOwner, exportFor.
    claims: ClaimsService;
  }
}

// Claims people make: the fee and expenses for an involvement record, receipts, the benefits
// advice, and "What I have done" at /profile/involvement (README "Involvement, fees and expenses").
export const claimsArea: FeatureArea = {
  services: (ctx) => ({ claims: createClaimsService(ctx.db, ctx) }),
  async routes(app) {
    // Separate plugins so each guard covers only its own routes.
    await app.register(profileInvolvementRoutes);
    await app.register(claimsRoutes);
    await app.register(claimsAdminRoutes);
  },
  auditActions: {
    'claim.submitted': 'A claim for a fee or expenses was sent for approval (by the person, or by staff for them)',
    'claim.entered-for-someone': "Staff entered or changed a claim on someone's behalf",
    'claim.viewed-for-someone': "Staff opened someone's claim form to enter it for them (it shows whether they receive benefits)",
    'claim.withdrawn': 'Someone withdrew (deleted) a draft claim',
    'claim.receipt-viewed-by-claimant': 'Someone downloaded a receipt from their own claim',
  },
  personalData: {
    async export({ services }, userId) {
      return { claims: await services.claims.exportFor(userId) };
    },
    sections: [{ template: 'involvement/views/claims/_my-data.njk', order: 70 }],
  },
};
