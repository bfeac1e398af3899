import type { FastifyInstance } from 'fastify';
import type { Feature } from '../../lib/feature.ts';
import storyRoutes from './routes.ts';
import storyAdminRoutes from './admin-routes.ts';
import { seedStories } from './seed.ts';

export const storiesFeature: Feature = {
  name: 'stories',
  async routes(app: FastifyInstance) {
    await app.register(storyRoutes);
    await app.register(storyAdminRoutes);
  },
  adminLinks: [
    {
      href: '/admin/stories',
      text: 'Stories',
      description: 'Write, preview and publish stories, and choose whether readers can comment on them.',
    },
  ],
  async seed({ db }) {
    await seedStories(db);
  },
};
