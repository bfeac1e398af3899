import type { Feature } from '#src/platform/feature.ts';
import { INTERNET_ADDRESSES, ipAddressesBefore } from '#src/platform/jobs/retention.ts';
import commentRoutes from './routes.ts';
import commentAdminRoutes from './admin-routes.ts';
import { seedDemoComments } from './demo.ts';
import { createCommentsService, type CommentsService } from './service.ts';
import { createTargets } from './targets.ts';
import { blockedSenders, commentReports, comments } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    comments: CommentsService;
  }
}
declare module '#src/platform/events.ts' {
  interface DomainEvents {
    // Which comments are public on a page changed: cached copies of that page are stale. The id
    // comes first, then the kind of page ('story').
    'comments.changed': [targetId: number, targetType: string];
  }
}

// Comments on any page a feature registers as commentable (stories first): anyone may comment
// without an account; staff moderate.
export const commentsFeature: Feature = {
  name: 'comments',
  // Other instances drop their cached copies of the page too.
  sharedEvents: ['comments.changed'],
  services: (ctx) => ({
    comments: createCommentsService(ctx.db, {
      events: ctx.services.events,
      settings: ctx.services.settings,
      targets: createTargets(ctx),
      config: ctx.config,
      mail: ctx.services.mail,
      i18n: ctx.i18n,
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
      order: 20,
      text: 'nav.comments.admin.moderation.text',
      description: 'nav.comments.admin.moderation.description',
    },
  ],
  retention: [
    {
      kind: INTERNET_ADDRESSES,
      name: 'internet addresses of comments and reports',
      run: ({ services }, now) => services.comments.forgetIpAddressesBefore(ipAddressesBefore(now)),
    },
  ],
  async adminSummary({ services }) {
    const counts = await services.comments.queueCounts();
    return [
      { text: 'nav.comments.admin.waiting.pending', href: '/admin/comments?status=pending', count: counts.pending },
      { text: 'nav.comments.admin.waiting.reported', href: '/admin/comments?status=reported', count: counts.reported },
    ];
  },
  // A comment written while signed in is linked to the account. Deleting the account keeps the
  // comment as "Former contributor", with nothing that identifies the person. Reports and blocks
  // name only the staff who dealt with them (unlinked when their account goes).
  personalData: {
    tables: [comments, commentReports, blockedSenders],
    async export({ services }, userId) {
      const written = await services.comments.byContributor(userId);
      return {
        comments: written.map((c) => ({
          id: c.id,
          on: c.page ? { title: c.page.title, address: c.page.path } : { type: c.target.type, id: c.target.id },
          publishedName: c.authorName,
          comment: c.body,
          status: c.status,
          at: c.createdAt.toISOString(),
        })),
      };
    },
    sections: [{ template: 'comments/views/_my-data.njk', order: 70 }],
    async erase({ services }, subject, tx) {
      const touched = await services.comments.forgetContributor(subject.id, tx);
      // Once the deletion has committed, cached pages showing those comments are rebuilt.
      return () => services.comments.commentsChanged(touched);
    },
  },
  async seed({ db, services, log }) {
    await seedDemoComments(db, services, log);
  },
};
