import type { Feature } from '#src/platform/feature.ts';
import { isAdmin } from '#src/platform/identity/roles.ts';
import mailRoutes from './routes.ts';
import { createMailService, type MailService } from './service.ts';
import { devOutbox, mailMessages } from './tables.ts';
import { createTransport, type MailTransport } from './transport.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    transport: MailTransport;
    mail: MailService;
  }
}

// Every email the site sends: accepted into the database, delivered by a queue worker, retried.
export const mailModule: Feature = {
  name: 'mail',
  services: ({ db, config, nunjucks, services, log, i18n }) => {
    const transport = createTransport({ smtpUrl: config.smtpUrl, db });
    return {
      transport,
      mail: createMailService(db, { config, queue: services.queue, transport, nunjucks, settings: services.settings, log, i18n }),
    };
  },
  routes: mailRoutes,
  adminLinks: [{ href: '/admin/mail', order: 60, text: 'mail.admin.nav.text', description: 'mail.admin.nav.description' }],
  jobs: {
    async start({ services }) {
      await services.mail.startWorker();
    },
    async stop({ services }) {
      services.mail.stopWorker();
      services.transport.close();
    },
  },
  async adminSummary({ services, config }, user) {
    const failing = { text: 'mail.admin.waiting.failing', href: '/admin/mail', count: await services.mail.failingCount() };
    // Admins are told while a live site sends from no-reply@localhost: replies and bounces go nowhere.
    const unset = config.isProduction && !config.mailFromSet && isAdmin(user);
    return unset ? [failing, { text: 'mail.admin.waiting.mailFromUnset', href: '/admin/mail', count: 1 }] : [failing];
  },
  // The mail log keeps addresses and what was sent. Deleting an account erases both from every
  // email to that address (and cancels any not yet sent).
  personalData: {
    tables: [mailMessages, devOutbox],
    async erase({ services }, subject, tx) {
      await services.mail.forgetAddress(subject.email, { tx });
    },
  },
};
