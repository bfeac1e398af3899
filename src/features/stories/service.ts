import type { EventEmitter } from 'node:events';
import type { Db } from '../../db/client.ts';
import type { DomainEvents } from '../../services.ts';

// PLACEHOLDER: to be completed (stories helper).
export type StorySummary = { id: number; slug: string; title: string; summary: string; publishedAt: Date | null };
export function createStoriesService(_db: Db, _deps: { events: EventEmitter<DomainEvents> }) {
  return {
    async listPublished(_opts: { page: number; perPage: number }): Promise<{ items: StorySummary[]; total: number }> {
      return { items: [], total: 0 };
    },
  };
}
export type StoriesService = ReturnType<typeof createStoriesService>;
