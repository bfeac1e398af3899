import type { Feature } from '#src/platform/feature.ts';
import registerRoutes from './routes.ts';
import registerImportRoutes from './import-routes.ts';
import recordRoutes from './record-routes.ts';
import { createPeopleService, type PeopleService } from './service.ts';
import { createRegisterImports, type RegisterImports } from './import-service.ts';
import { contributorContacts, contributorImports, contributorNotes } from './tables.ts';

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
    await app.register(recordRoutes);
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
    'contributor.contact-recorded': 'Staff recorded that they contacted a contributor',
    'contributor.edited-by-staff': 'Staff changed a contributor’s answers on their behalf',
  },
  // Notes and contacts go with the person's account (foreign keys); imports name only the member of
  // staff who ran them.
  personalData: {
    tables: [contributorNotes, contributorImports, contributorContacts],
    async export({ services }, userId) {
      // Staff notes stay internal, but the person is told that they exist and when they were written.
      // When we contacted them, how and the note about it are theirs to read.
      const [dates, contacts] = await Promise.all([services.people.noteDates(userId), services.people.contactsOf(userId)]);
      return {
        staffNotes: dates.map((at) => ({ writtenByStaff: true, at: at.toISOString() })),
        contactsFromStaff: contacts.map((c) => ({ on: c.contactedOn, how: c.method, note: c.note })),
      };
    },
    sections: [
      { template: 'people/views/_my-data-notes.njk', order: 80 },
      { template: 'people/views/_my-data-contacts.njk', order: 81 },
    ],
  },
};
