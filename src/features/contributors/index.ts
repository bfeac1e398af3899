import type { FastifyInstance } from 'fastify';
import type { Feature } from '../../lib/feature.ts';
import contributorSignInRoutes, { accountDeletedRoute } from './routes.ts';
import profileRoutes from './profile-routes.ts';
import livedExperienceAdminRoutes from './admin-routes.ts';
import { seedLivedExperienceTerms } from './demo.ts';

// The contributor network: joining by email link, the profile, consent and data rights.
export const contributorsFeature: Feature = {
  name: 'contributors',
  async routes(app: FastifyInstance) {
    // Separate plugins so each area's access hook covers only its own routes.
    await app.register(contributorSignInRoutes);
    await app.register(accountDeletedRoute);
    await app.register(profileRoutes);
    await app.register(livedExperienceAdminRoutes);
  },
  mainNav: [{ href: '/join', text: 'Get involved' }],
  adminLinks: [
    {
      href: '/admin/lived-experience',
      text: 'Lived experience terms',
      description: 'The conditions, services and caring roles contributors can choose from in their profile.',
      adminOnly: true,
    },
  ],
  async seed({ db }) {
    await seedLivedExperienceTerms(db);
  },
};
