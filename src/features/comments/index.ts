import type { FastifyInstance } from 'fastify';
import type { Feature } from '../../lib/feature.ts';
import commentRoutes from './routes.ts';
import commentAdminRoutes from './admin-routes.ts';
import { seedDemoComments } from './demo.ts';

// Comments on stories: anyone may comment without an account; staff moderate.
export const commentsFeature: Feature = {
  name: 'comments',
  async routes(app: FastifyInstance) {
    // Separate plugins so the staff-only hook never touches the public routes.
    await app.register(commentRoutes);
    await app.register(commentAdminRoutes);
  },
  adminLinks: [
    {
      href: '/admin/comments',
      text: 'Comments',
      description: 'Approve, reject or reply to comments, deal with reports and block spam senders.',
    },
  ],
  async seed({ db, log }) {
    await seedDemoComments(db, log);
  },
};
