import { expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { commentsFeature } from './index.ts';
import { DEMO_STORY_SLUG } from '#src/features/stories/seed.ts';
import { comments } from './tables.ts';
import type { PublicComment } from './service.ts';

const { db, services, config } = await buildTestApp();

const depth = (nodes: PublicComment[]): number => (nodes.length ? 1 + Math.max(...nodes.map((n) => depth(n.replies))) : 0);

it('skips quietly when the demo story is missing', async () => {
  const logs: string[] = [];
  await db.transaction(async (tx) => commentsFeature.seed!({ db: tx, config, services, log: (m) => logs.push(m) }));
  expect(logs.join('\n')).toContain('skipping');
  expect(Number((await db.select({ n: count() }).from(comments))[0]!.n)).toBe(0);
});

it('seeds signed comments on the demo story: a deep reply chain, one staff reply, one in Welsh and one waiting', async () => {
  const story = await createStory(db, { slug: DEMO_STORY_SLUG });
  await db.transaction(async (tx) => commentsFeature.seed!({ db: tx, config, services, log: () => {} }));
  const { thread, count: shown } = await services.comments.threadFor('story', story.id);
  expect(shown).toBe(11);
  expect(depth(thread)).toBeGreaterThanOrEqual(3);
  const all = (nodes: PublicComment[]): PublicComment[] => nodes.flatMap((n) => [n, ...all(n.replies)]);
  const staff = all(thread).filter((c) => c.isStaff);
  expect(staff).toMatchObject([{ authorName: 'Dr Amara Okafor', authorJobTitle: 'Director of Public Involvement' }]);
  expect(all(thread).filter((c) => !c.authorJobTitle && !c.authorOrganisation)).toHaveLength(1);
  expect(
    new Set(
      all(thread)
        .map((c) => c.authorOrganisation)
        .filter(Boolean),
    ).size,
  ).toBeGreaterThanOrEqual(6);
  // One is in Welsh, and marked so.
  expect(all(thread).filter((c) => c.language === 'cy')).toMatchObject([{ authorName: 'Gwenllian Rees' }]);
  const pending = await db.select().from(comments).where(eq(comments.status, 'pending'));
  expect(pending).toHaveLength(1);
  for (const c of all(thread)) expect(c.createdAt.getTime()).toBeGreaterThan(Date.UTC(2026, 9, 27));
});
