import type { Feature } from '#src/platform/feature.ts';
import registerRoutes from './routes.ts';
import registerImportRoutes from './import-routes.ts';
import { createPeopleService, type PeopleService } from './service.ts';
import { createRegisterImports, type RegisterImports } from './import-service.ts';
import { contributorImports, contributorNotes } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    people: PeopleService;
    registerImports: RegisterImports;
  }
}

// The staff side of the contributor network (admins and involvement staff): finding people on the
// register, a person's record and notes, exports, and importing an existing register.
export const peopleFeature: Feature = {
  name: 'people',
  services: (ctx) => ({
    people: createPeopleService(ctx.db, ctx),
    registerImports: createRegisterImports(ctx.db, ctx.services, ctx.log),
  }),
  async routes(app) {
    await app.register(registerRoutes);
    await app.register(registerImportRoutes);
  },
  jobs: {
    start: ({ services }) => services.registerImports.startWorker(),
  },
  adminLinks: [
    {
      href: '/admin/people',
      order: 40,
      text: 'people.admin.nav.register.text',
      description: 'people.admin.nav.register.description',
      registerOnly: true,
    },
    {
      href: '/admin/people/import',
      order: 41,
      text: 'people.admin.nav.import.text',
      description: 'people.admin.nav.import.description',
      registerOnly: true,
    },
  ],
  auditActions: {
    'contributor.viewed-by-staff': 'Staff looked at a contributor',
    'contributor.exported-by-staff': 'Staff exported contributors',
    'contributor.note-added': 'Staff added a note about a contributor',
    'contributor.register-imported': 'Staff imported an existing register of contributors',
  },
  // Notes go with the person's account (foreign key); imports name only the member of staff who ran them.
  personalData: {
    tables: [contributorNotes, contributorImports],
    async export({ services }, userId) {
      // Staff notes stay internal, but the person is told that they exist and when they were written.
      const dates = await services.people.noteDates(userId);
      return { staffNotes: dates.map((at) => ({ writtenByStaff: true, at: at.toISOString() })) };
    },
    sections: [{ template: 'people/views/_my-data-notes.njk', order: 80 }],
  },
};
