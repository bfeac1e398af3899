import type { FeatureArea } from '#src/platform/feature.ts';
import { createRatesService, type RatesService } from './rates-service.ts';
import ratesRoutes from './rates-routes.ts';
import { createClaimReviewService, type ClaimReviewService } from './review-service.ts';
import reviewRoutes from './review-routes.ts';
import { createStaffRecordsService, type StaffRecordsService } from './staff-records-service.ts';
import staffRecordsRoutes from './staff-records-routes.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    rates: RatesService;
    claimReview: ClaimReviewService;
    involvementStaffRecords: StaffRecordsService;
  }
}

// Staff: the rate card (admins), records written by hand (admins and involvement staff), and
// approving, returning or rejecting claims (each claim's staff lead; admins any).
export const reviewArea: FeatureArea = {
  services: (ctx) => ({
    rates: createRatesService(ctx.db, ctx),
    claimReview: createClaimReviewService(ctx.db, ctx),
    involvementStaffRecords: createStaffRecordsService(ctx.db, ctx),
  }),
  async routes(app) {
    // Separate plugins so each access check covers only its own routes.
    await app.register(ratesRoutes);
    await app.register(staffRecordsRoutes);
    await app.register(reviewRoutes);
  },
  adminLinks: [
    { href: '/admin/claims', order: 38, text: 'claimReview.admin.nav.text', description: 'claimReview.admin.nav.description' },
    {
      href: '/admin/involvement/records',
      order: 39,
      text: 'involvementStaff.admin.nav.text',
      description: 'involvementStaff.admin.nav.description',
      registerOnly: true,
    },
    {
      href: '/admin/involvement/rates',
      order: 80,
      text: 'rates.admin.nav.text',
      description: 'rates.admin.nav.description',
      adminOnly: true,
    },
  ],
  async adminSummary({ services }, user) {
    return [{ text: 'claimReview.admin.summary.waiting', href: '/admin/claims', count: await services.claimReview.waitingCount(user) }];
  },
  auditActions: {
    'rate.added': 'An admin added a rate to the rate card',
    'rate.removed': 'An admin removed a rate from the rate card before it came into force',
    'involvement.record-added': 'Staff added an involvement record for a person by hand',
    'involvement.record-changed': 'Staff changed an involvement record ("what difference it made")',
    'claim.approved': "Staff approved a person's claim for fees and expenses (the person was emailed)",
    'claim.returned': "Staff returned a person's claim for changes, with a comment (the person was emailed)",
    'claim.rejected': "Staff rejected a person's claim, with a reason (the person was emailed)",
    'claim.viewed-by-staff': "Staff looked at a person's claim for fees and expenses",
  },
};
