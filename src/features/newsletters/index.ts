import type { Feature } from '#src/platform/feature.ts';
import { demoTopics } from './topics.ts';
import { seedDemoNewsletter } from './demo.ts';
import { createTopicsRepository } from './topics-repository.ts';
import newsletterPublicRoutes from './public-routes.ts';
import newsletterAdminRoutes from './admin-routes.ts';
import newsletterArchiveRoutes from './archive-routes.ts';
import subscriberAdminRoutes from './subscriber-routes.ts';
import manualSubscriberRoutes from './subscriber-manual-routes.ts';
import followRoutes from './follows-routes.ts';
import { followsPersonalData, followsRetention } from './follows-data.ts';
import { createNewslettersService, type NewslettersService } from './service.ts';
import {
  newsletterConsentEvents,
  newsletterFollows,
  newsletterImports,
  newsletterRecipients,
  newsletters,
  newsletterSubscribers,
} from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    newsletters: NewslettersService;
  }
}

export const newslettersFeature: Feature = {
  name: 'newsletters',
  services: ({ database, config, nunjucks, log, i18n, services }) => ({
    newsletters: createNewslettersService(database, {
      config,
      queue: services.queue,
      mail: services.mail,
      settings: services.settings,
      nunjucks,
      transport: services.transport,
      log,
      i18n,
      audit: services.audit,
    }),
  }),
  jobs: {
    start: ({ services }) => services.newsletters.startWorker(),
    stop: ({ services }) => services.newsletters.stopWorker(),
  },
  async routes(app) {
    await app.register(newsletterPublicRoutes);
    await app.register(newsletterArchiveRoutes);
    await app.register(newsletterAdminRoutes);
    await app.register(subscriberAdminRoutes);
    await app.register(manualSubscriberRoutes);
    await app.register(followRoutes);
  },
  footerNav: [
    { href: '/newsletter', text: 'newsletters.nav.footer' },
    { href: '/newsletters', text: 'newsletter-archive.nav.footer' },
  ],
  auditActions: {
    'newsletter.subscriber-added': 'Staff added a newsletter subscriber by hand',
    'newsletter.subscriber-deleted': 'Staff deleted a newsletter subscriber (address erased)',
  },
  adminLinks: [
    {
      href: '/admin/newsletters',
      order: 30,
      text: 'nav.newsletters.admin.newsletters.text',
      description: 'nav.newsletters.admin.newsletters.description',
    },
    {
      href: '/admin/newsletters/subscribers',
      order: 31,
      text: 'nav.newsletters.admin.subscribers.text',
      description: 'nav.newsletters.admin.subscribers.description',
    },
  ],
  retention: [followsRetention],
  async seed({ db }) {
    await createTopicsRepository(db).insertMissing(demoTopics);
    await seedDemoNewsletter(db);
  },
  // A subscription is its own consent, kept by email address with or without an account: the
  // download shows one under the account's address, and deleting the account leaves it (every
  // newsletter has a one-click unsubscribe, and staff can erase a subscriber). Newsletters and
  // imports name only the staff who wrote or ran them. Following a page by email is the same kind
  // of consent (follows-data.ts).
  personalData: {
    tables: [newsletterSubscribers, newsletterConsentEvents, newsletterRecipients, newsletters, newsletterImports, newsletterFollows],
    async export(ctx, userId) {
      const { services } = ctx;
      const account = await services.identity.findAccountById(userId);
      const followed = await followsPersonalData.export(ctx, account?.email);
      const sub = account ? await services.newsletters.subscribers.findByEmail(account.email) : undefined;
      if (!sub) return { emailUpdates: null, ...followed };
      const [topics, history] = await Promise.all([
        services.newsletters.subscribers.topicNamesOf(sub.id),
        services.newsletters.subscribers.history(sub.id),
      ]);
      return {
        emailUpdates: {
          email: sub.email,
          status: sub.status,
          topics,
          consents: history.map((e) => ({ action: e.action, topics: e.topics, source: e.source, at: e.at.toISOString() })),
        },
        ...followed,
      };
    },
    erase: followsPersonalData.erase,
    sections: [
      { template: 'newsletters/views/_my-data.njk', order: 55 },
      { template: 'newsletters/views/follows/_my-data.njk', order: 56 },
    ],
  },
};
