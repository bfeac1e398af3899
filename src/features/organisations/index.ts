import type { FastifyInstance } from 'fastify';
import type { Feature } from '../../lib/feature.ts';
import organisationRoutes from './routes.ts';
import organisationAdminRoutes from './admin-routes.ts';
import { seedDemoOrganisations } from './demo.ts';

// Partner organisations: registering interest, staff decisions, the public list. The contributor
// profile step lives in profile-step.ts and is registered by the contributors feature.
export const organisationsFeature: Feature = {
  name: 'organisations',
  async routes(app: FastifyInstance) {
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
