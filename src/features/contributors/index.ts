import type { FastifyInstance } from 'fastify';
import type { Feature } from '../../lib/feature.ts';
import contributorSignInRoutes, { accountDeletedRoute } from './routes.ts';
import profileRoutes from './profile-routes.ts';
import livedExperienceAdminRoutes from './admin-routes.ts';
import registerRoutes from './register-routes.ts';
import registerImportRoutes from './import-routes.ts';
import { seedDemoContributors, seedLivedExperienceTerms } from './demo.ts';
import signInMethodsRoutes from './sign-in-methods-routes.ts';
import contributorPasswordSignInRoutes from './sign-in-methods-sign-in.ts';

// The contributor network: joining by email link, the profile, consent and data rights.
export const contributorsFeature: Feature = {
  name: 'contributors',
  async routes(app: FastifyInstance) {
    // Separate plugins so each area's access hook covers only its own routes.
    await app.register(contributorSignInRoutes);
    await app.register(accountDeletedRoute);
    await app.register(profileRoutes);
    await app.register(signInMethodsRoutes);
    await app.register(contributorPasswordSignInRoutes);
    await app.register(livedExperienceAdminRoutes);
    await app.register(registerRoutes);
    await app.register(registerImportRoutes);
  },
  mainNav: [{ href: '/join', text: 'Get involved' }],
  adminLinks: [
    {
      href: '/admin/people',
      text: 'People',
      description: 'Search the contributor register, read and add notes about a person, and export a list.',
      registerOnly: true,
    },
    {
      href: '/admin/people/import',
      text: 'Import an existing register',
      description: 'Bring people from a spreadsheet into the register, with a report of any rows that could not be imported.',
      registerOnly: true,
    },
    {
      href: '/admin/lived-experience',
      text: 'Lived experience terms',
      description: 'The conditions, services and caring roles contributors can choose from in their profile.',
      adminOnly: true,
    },
  ],
  async seed({ db }) {
    await seedLivedExperienceTerms(db);
    await seedDemoContributors(db);
  },
};
