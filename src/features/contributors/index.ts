import type { Feature } from '#src/platform/feature.ts';
import contributorSignInRoutes, { accountDeletedRoute } from './routes.ts';
import profileRoutes from './profile-routes.ts';
import livedExperienceAdminRoutes from './admin-routes.ts';
import registerRoutes from './register-routes.ts';
import registerImportRoutes from './import-routes.ts';
import { seedDemoContributors, seedLivedExperienceTerms } from './demo.ts';
import signInMethodsRoutes from './sign-in-methods-routes.ts';
import contributorPasswordSignInRoutes from './sign-in-methods-sign-in.ts';
import { createContributorsService, type ContributorsService } from './service.ts';
import { createRegisterService, type RegisterService } from './register-service.ts';
import { createRegisterImports, type RegisterImports } from './import-service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    contributors: ContributorsService;
    people: RegisterService;
    registerImports: RegisterImports;
  }
}

// The contributor network: joining by email link, the profile, consent and data rights.
export const contributorsFeature: Feature = {
  name: 'contributors',
  services: ({ db, config, nunjucks, log, services }) => ({
    contributors: createContributorsService(db, {
      config,
      mail: services.mail,
      settings: services.settings,
      audit: services.audit,
      identity: services.identity,
      comments: services.comments,
      organisations: services.organisations,
      nunjucks,
    }),
    people: createRegisterService(db, { audit: services.audit, identity: services.identity }),
    registerImports: createRegisterImports(db, { queue: services.queue, audit: services.audit, identity: services.identity, log }),
  }),
  jobs: {
    start: ({ services }) => services.registerImports.startWorker(),
  },
  auditActions: {
    'contributor.data-downloaded': 'Contributor downloaded their data',
    'contributor.account-deleted': 'Contributor deleted their account',
    'contributor.viewed-by-staff': 'Staff looked at a contributor',
    'contributor.exported-by-staff': 'Staff exported contributors',
    'contributor.note-added': 'Staff added a note about a contributor',
    'contributor.register-imported': 'Staff imported an existing register of contributors',
  },
  async routes(app) {
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
