import type { Feature } from '#src/platform/feature.ts';
import { INTERNET_ADDRESSES, ipAddressesBefore } from '#src/platform/jobs/retention.ts';
import commentRoutes from './routes.ts';
import commentAdminRoutes from './admin-routes.ts';
import { seedDemoComments } from './demo.ts';
import { createCommentsService, type CommentsService } from './service.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    comments: CommentsService;
  }
}
declare module '#src/platform/events.ts' {
  interface DomainEvents {
    // Which comments are public on this story changed: cached pages of it are stale.
    'comments.changed': [storyId: number];
  }
}

// Comments on stories: anyone may comment without an account; staff moderate.
export const commentsFeature: Feature = {
  name: 'comments',
  services: ({ db, config, services }) => ({
    comments: createCommentsService(db, {
      events: services.events,
      settings: services.settings,
      stories: services.stories,
      config,
      mail: services.mail,
    }),
  }),
  async routes(app) {
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
  retention: [
    {
      kind: INTERNET_ADDRESSES,
      name: 'internet addresses of comments and reports',
      run: ({ services }, now) => services.comments.forgetIpAddressesBefore(ipAddressesBefore(now)),
    },
  ],
  async seed({ db, log }) {
    await seedDemoComments(db, log);
  },
};
