import { EventEmitter } from 'node:events';
import type { Db } from './db/client.ts';
import type { Config } from './config.ts';
import { createSettingsService } from './features/site/service.ts';
import { createStoriesService } from './features/stories/service.ts';
import { createCommentsService } from './features/comments/service.ts';

// Domain events features publish so others can react without reaching into their tables.
export type DomainEvents = {
  'story.changed': [storyId: number];
  'comments.changed': [storyId: number];
};

// Built once at boot (never on the first request); routes and scripts share the same services.
export function createServices(db: Db, config: Config) {
  const events = new EventEmitter<DomainEvents>();
  const settings = createSettingsService(db);
  const stories = createStoriesService(db, { events });
  const comments = createCommentsService(db, { events, settings, stories, config });
  return { events, settings, stories, comments };
}
export type Services = ReturnType<typeof createServices>;
