import type { Feature } from '#src/platform/feature.ts';
import { INTERNET_ADDRESSES, ipAddressesBefore } from '#src/platform/jobs/retention.ts';
import organisationRoutes from './routes.ts';
import organisationAdminRoutes from './admin-routes.ts';
import { seedDemoOrganisations } from './demo.ts';
import { createOrganisationsService, type OrganisationsService } from './service.ts';
import organisationsProfileStep from './profile-step.ts';
import { canSeeRegister } from '#src/platform/identity/roles.ts';
import { contributorOrganisationAnswers, contributorOrganisations, organisations } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    organisations: OrganisationsService;
  }
}

// Partner organisations: registering interest, staff decisions, the public list, and the
// contributor's profile step "Organisations you belong to".
export const organisationsFeature: Feature = {
  name: 'organisations',
  services: ({ db, config, i18n, services }) => ({
    organisations: createOrganisationsService(db, {
      config,
      mail: services.mail,
      settings: services.settings,
      audit: services.audit,
      i18n,
    }),
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
    await app.register(organisationsProfileStep);
  },
  profileSteps: {
    steps: [
      {
        key: 'organisations',
        // Catalogue keys: the profile's task list translates them.
        title: 'organisations.profileStep.title',
        href: '/profile/organisations',
        hint: 'organisations.profileStep.hint',
        order: 80,
      },
    ],
    async completed({ services }, userId): Promise<Record<string, Date>> {
      const at = await services.organisations.answeredAt(userId);
      return at ? { organisations: at } : {};
    },
  },
  async adminSummary({ services }, user) {
    if (!canSeeRegister(user)) return [];
    const counts = await services.organisations.counts();
    return [{ text: 'nav.organisations.admin.waiting.toReview', href: '/admin/organisations', count: counts.pending ?? 0 }];
  },
  // Memberships go with the account (foreign keys). A registration's contact is a person at the
  // organisation, not an account; staff who decided are linked only until their account goes.
  personalData: {
    tables: [organisations, contributorOrganisations, contributorOrganisationAnswers],
    async export({ services }, userId) {
      const memberships = await services.organisations.organisationsOf(userId);
      return {
        partnerOrganisations: memberships.map((o) => ({
          name: o.name,
          kind: o.kind,
          stillAPartner: o.current,
          since: o.since.toISOString(),
        })),
      };
    },
    sections: [{ template: 'organisations/views/_my-data.njk', order: 50 }],
  },
  footerNav: [{ href: '/organisations', text: 'organisations.nav.footer' }],
  adminLinks: [
    {
      href: '/admin/organisations',
      order: 45,
      text: 'nav.organisations.admin.organisations.text',
      description: 'nav.organisations.admin.organisations.description',
      registerOnly: true,
    },
  ],
  async seed({ db }) {
    await seedDemoOrganisations(db);
  },
};
