import { and, eq } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { comments } from '#src/features/comments/tables.ts';
import { stories } from '#src/features/stories/tables.ts';

let storyCounter = 0;

export type StoryRow = typeof stories.$inferSelect;

// A published story (publish date yesterday, comments open) straight into the table, so tests of
// other features do not depend on how stories are written.
export async function createStory(db: Db, overrides: Partial<typeof stories.$inferInsert> = {}): Promise<StoryRow> {
  storyCounter++;
  const n = `${storyCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const [row] = await db
    .insert(stories)
    .values({
      slug: `test-story-${n}`,
      title: `Test story ${n}`,
      summary: 'A story written for a test.',
      bodyMarkdown: 'Some words.',
      bodyHtml: '<p>Some words.</p>',
      authorName: 'Dr Test Author',
      authorJobTitle: 'Head of testing',
      status: 'published',
      publishedAt: new Date(Date.now() - 24 * 60 * 60 * 1000),
      commentsOpen: true,
      ...overrides,
    })
    .returning();
  return row!;
}

// Comments name the page they are on by kind and id: these say "on this story" in test fixtures.
export const onStory = (storyId: number) => ({ targetType: 'story', targetId: storyId });
export const storyComments = (storyId: number) => and(eq(comments.targetType, 'story'), eq(comments.targetId, storyId));

// An approved comment on a story, straight into the table (behind the services' backs).
export async function approvedComment(db: Db, storyId: number, values: Partial<typeof comments.$inferInsert> = {}): Promise<number> {
  const [row] = await db
    .insert(comments)
    .values({ ...onStory(storyId), authorName: 'Ada', authorEmail: 'ada@example.org', body: 'Hello', status: 'approved', ...values })
    .returning({ id: comments.id });
  return row!.id;
}
