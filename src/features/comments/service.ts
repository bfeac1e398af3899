import type { EventEmitter } from 'node:events';
import type { Db } from '../../db/client.ts';
import type { Config } from '../../config.ts';
import type { DomainEvents } from '../../services.ts';
import type { SettingsService } from '../site/service.ts';
import type { StoriesService } from '../stories/service.ts';

// PLACEHOLDER: to be completed (comments helper).
export function createCommentsService(
  _db: Db,
  _deps: { events: EventEmitter<DomainEvents>; settings: SettingsService; stories: StoriesService; config: Config },
) {
  return {};
}
export type CommentsService = ReturnType<typeof createCommentsService>;
