import type { FastifyInstance } from 'fastify';
import type { Feature } from '../../lib/feature.ts';
import { newsletterTopics } from './tables.ts';
import { demoTopics } from './topics.ts';
import newsletterPublicRoutes from './public-routes.ts';
import newsletterAdminRoutes from './admin-routes.ts';
import subscriberAdminRoutes from './subscriber-routes.ts';

export const newslettersFeature: Feature = {
  name: 'newsletters',
  async routes(app: FastifyInstance) {
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
    await db
      .insert(newsletterTopics)
      .values(demoTopics.map((name) => ({ name })))
      .onConflictDoNothing();
  },
};
