import type { Feature } from '#src/platform/feature.ts';
import { INTERNET_ADDRESSES, ipAddressesBefore } from '#src/platform/jobs/retention.ts';
import organisationRoutes from './routes.ts';
import organisationAdminRoutes from './admin-routes.ts';
import { seedDemoOrganisations } from './demo.ts';
import { createOrganisationsService, type OrganisationsService } from './service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    organisations: OrganisationsService;
  }
}

// Partner organisations: registering interest, staff decisions, the public list. The contributor
// profile step lives in profile-step.ts and is registered by the contributors feature.
export const organisationsFeature: Feature = {
  name: 'organisations',
  services: ({ db, config, services }) => ({
    organisations: createOrganisationsService(db, { config, mail: services.mail, settings: services.settings, audit: services.audit }),
  }),
  retention: [
    {
      kind: INTERNET_ADDRESSES,
      name: 'internet addresses of organisation registrations',
      run: ({ services }, now) => services.organisations.forgetIpAddressesBefore(ipAddressesBefore(now)),
    },
  ],
  auditActions: {
    'organisation.approved': 'Staff approved a partner organisation',
    'organisation.declined': 'Staff declined a partner organisation',
    'organisation.archived': 'Staff archived a partner organisation',
    'organisation.restored': 'Staff restored a partner organisation',
  },
  async routes(app) {
    // Separate plugins so the staff access check covers only the staff routes.
    await app.register(organisationRoutes);
    await app.register(organisationAdminRoutes);
  },
  footerNav: [{ href: '/organisations', text: 'Partner organisations' }],
  adminLinks: [
    {
      href: '/admin/organisations',
      text: 'Partner organisations',
      description: 'Approve or decline organisations that registered interest, and keep their details up to date.',
      registerOnly: true,
    },
  ],
  async seed({ db }) {
    await seedDemoOrganisations(db);
  },
};
