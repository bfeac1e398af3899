import type { FeatureArea } from '#src/platform/feature.ts';
import saidDidAdminRoutes from './said-did-admin-routes.ts';
import saidDidRoutes from './said-did-routes.ts';
import { createSaidDidService, type SaidDidService } from './said-did-service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    saidDid: SaidDidService;
  }
}

// "You said, we did" (README "Commitments, you said we did, and the involvement standards"): staff
// record what people told us and what changed, in one step from a review's published summary or a
// meeting's minutes; the public list is filtered by group, theme and year. Entries name only the
// member of staff who wrote them (set null when the account goes) and, in free text, people who
// agreed to be thanked by name: nothing belongs to a contributor's account, so nothing to export.
export const saidDidArea: FeatureArea = {
  services: (ctx) => ({ saidDid: createSaidDidService(ctx.db, ctx) }),
  async routes(app) {
    // Separate plugins so the staff access check covers only the staff routes.
    await app.register(saidDidRoutes);
    await app.register(saidDidAdminRoutes);
  },
  footerNav: [{ href: '/you-said-we-did', text: 'saidDid.nav.footer' }],
  adminLinks: [
    {
      href: '/admin/you-said-we-did',
      order: 40,
      text: 'saidDidStaff.admin.nav.text',
      description: 'saidDidStaff.admin.nav.description',
    },
  ],
  async adminSummary({ services }) {
    return [
      {
        text: 'saidDidStaff.admin.nav.waiting',
        href: '/admin/you-said-we-did',
        count: (await services.saidDid.summariesWithoutEntry()).length,
      },
    ];
  },
  auditActions: {
    'said-did.published': 'Staff published a "you said, we did" entry',
    'said-did.unpublished': 'Staff took a "you said, we did" entry off the public list',
    'said-did.deleted': 'Staff deleted a "you said, we did" entry',
  },
};
