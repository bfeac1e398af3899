import type { Feature } from '#src/platform/feature.ts';
import { demoTopics } from './topics.ts';
import { createTopicsRepository } from './topics-repository.ts';
import newsletterPublicRoutes from './public-routes.ts';
import newsletterAdminRoutes from './admin-routes.ts';
import subscriberAdminRoutes from './subscriber-routes.ts';
import { createNewslettersService, type NewslettersService } from './service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    newsletters: NewslettersService;
  }
}

export const newslettersFeature: Feature = {
  name: 'newsletters',
  services: ({ database, config, nunjucks, log, services }) => ({
    newsletters: createNewslettersService(database, {
      config,
      queue: services.queue,
      mail: services.mail,
      settings: services.settings,
      nunjucks,
      transport: services.transport,
      log,
    }),
  }),
  jobs: {
    start: ({ services }) => services.newsletters.startWorker(),
    stop: ({ services }) => services.newsletters.stopWorker(),
  },
  async routes(app) {
    await app.register(newsletterPublicRoutes);
    await app.register(newsletterAdminRoutes);
    await app.register(subscriberAdminRoutes);
  },
  footerNav: [{ href: '/newsletter', text: 'Email updates' }],
  adminLinks: [
    { href: '/admin/newsletters', text: 'Newsletters', description: 'Write and send newsletters, and see how sending is going.' },
    {
      href: '/admin/newsletters/subscribers',
      text: 'Newsletter subscribers',
      description: 'Search, import and export subscribers, and their consent history.',
    },
  ],
  async seed({ db }) {
    await createTopicsRepository(db).insertMissing(demoTopics);
  },
};
