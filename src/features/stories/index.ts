import type { Feature } from '#src/platform/feature.ts';
import storyRoutes from './routes.ts';
import storyAdminRoutes from './admin-routes.ts';
import { seedStories } from './seed.ts';
import { createStoriesService, type StoriesService } from './service.ts';
import { createStoryManagement, type StoryManagement } from './management.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    stories: StoriesService & StoryManagement;
  }
}
declare module '#src/platform/events.ts' {
  interface DomainEvents {
    // A story was created, changed or its status changed: cached pages of it are stale.
    'story.changed': [storyId: number];
  }
}

// Stories: Markdown posts with tags, feeds and a cached public page.
export const storiesFeature: Feature = {
  name: 'stories',
  // Other instances drop their cached copies of the page too.
  sharedEvents: ['story.changed'],
  services: ({ db, services }) => ({
    stories: {
      ...createStoriesService(db, { events: services.events }),
      ...createStoryManagement(db, { events: services.events, services }),
    },
  }),
  auditActions: {
    'story.deleted': 'Staff deleted a story and its comments',
    'story.unpublished': 'Staff unpublished a story',
  },
  async routes(app) {
    await app.register(storyRoutes);
    await app.register(storyAdminRoutes);
  },
  adminLinks: [
    {
      href: '/admin/stories',
      order: 10,
      text: 'nav.stories.admin.stories.text',
      description: 'nav.stories.admin.stories.description',
    },
  ],
  // Readers comment under a published story; the comments feature mounts its routes at
  // /stories/:slug/comments and asks here for the story.
  commentable: [
    {
      type: 'story',
      noun: 'story',
      path: '/stories/:slug',
      findByParams: ({ services }, params) => (params.slug ? services.stories.commentTarget({ slug: params.slug }) : Promise.resolve(null)),
      findById: ({ services }, id) => services.stories.commentTarget({ id }),
    },
  ],
  async seed({ db }) {
    await seedStories(db);
  },
};
