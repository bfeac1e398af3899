import type { EventEmitter } from 'node:events';
import type { Db } from '../../db/client.ts';
import type { Config } from '../../config.ts';
import type { DomainEvents } from '../../services.ts';
import type { SettingsService } from '../site/service.ts';
import type { StoriesService } from '../stories/service.ts';

// CONTRACT STUB (to be completed by the comments work): the story page relies on these signatures.
export type PublicComment = {
  id: number;
  parentId: number | null;
  authorName: string;
  authorJobTitle: string | null;
  authorOrganisation: string | null;
  body: string;
  isStaff: boolean;
  createdAt: Date;
  replies: PublicComment[];
};

export function createCommentsService(
  _db: Db,
  _deps: { events: EventEmitter<DomainEvents>; settings: SettingsService; stories: StoriesService; config: Config },
) {
  return {
    // Approved comments of a story as a tree, oldest first at every level. Never includes emails.
    async threadForStory(_storyId: number): Promise<{ thread: PublicComment[]; count: number }> {
      return { thread: [], count: 0 };
    },
    // A signed, timestamped value for the comment form's hidden "stamp" field (minimum fill time).
    issueFormStamp(): string {
      return '';
    },
  };
}
export type CommentsService = ReturnType<typeof createCommentsService>;
