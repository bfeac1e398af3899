import type { EventEmitter } from 'node:events';
import type { Db } from '../../db/client.ts';
import type { DomainEvents } from '../../services.ts';

// CONTRACT STUB (to be completed by the stories work): other features rely on these signatures.
export type StorySummary = { id: number; slug: string; title: string; summary: string; publishedAt: Date | null };
export type PublishedStory = StorySummary & {
  bodyHtml: string;
  authorName: string;
  authorJobTitle: string | null;
  commentsOpen: boolean;
  updatedAt: Date;
  tags: { slug: string; name: string }[];
};

export function createStoriesService(_db: Db, _deps: { events: EventEmitter<DomainEvents> }) {
  return {
    async listPublished(_opts: { page: number; perPage: number }): Promise<{ items: StorySummary[]; total: number }> {
      return { items: [], total: 0 };
    },
    // Published and with a publish date not in the future; null otherwise.
    async findPublishedBySlug(_slug: string): Promise<PublishedStory | null> {
      return null;
    },
    async findPublishedById(_id: number): Promise<PublishedStory | null> {
      return null;
    },
  };
}
export type StoriesService = ReturnType<typeof createStoriesService>;
