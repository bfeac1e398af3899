import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { approvedComment, createStory } from '#tests/helpers/factories.ts';
import { comments } from './tables.ts';

// Each comment's markup is kept in the views' fragment cache (src/plugins/views.ts), so an uncached
// story page draws only the comments it has not drawn before. The page must be the same bytes as
// one drawn with no cache at all, in every language, and after a comment it shows changes.
const { app, db, services } = await buildTestApp();
const globals = (app.nunjucks as unknown as { globals: Record<string, unknown> }).globals;
const cached = globals.fragment;
const drawnAfresh = (...args: unknown[]) => (args.pop() as { caller: () => unknown }).caller();

async function page(storyId: number, slug: string, lang: string, fresh: boolean) {
  globals.fragment = fresh ? drawnAfresh : cached;
  try {
    services.events.emit('comments.changed', storyId, 'story');
    const res = await app.inject({ url: `/stories/${slug}`, headers: { cookie: `coproduce.lang=${lang}` } });
    expect(res.statusCode).toBe(200);
    return res.body;
  } finally {
    globals.fragment = cached;
  }
}

const comment = (storyId: number, values: Parameters<typeof approvedComment>[2]) => approvedComment(db, storyId, values);

describe('the comments of a story page, drawn through the fragment cache', () => {
  it('are the same bytes as drawn afresh, in English and Welsh, and follow changes to a comment', async () => {
    const story = await createStory(db, { title: 'Fragments' });
    const first = await comment(story.id, { body: 'See https://example.org <b>now</b> & then', authorJobTitle: 'Nurse' });
    await comment(story.id, { parentId: first, body: 'A reply', authorName: 'Bryn', authorIsStaff: true });
    await comment(story.id, { body: 'Ysgrifennwyd yn Gymraeg', language: 'cy', authorOrganisation: 'Bwrdd Iechyd' });

    for (const lang of ['en', 'cy']) {
      const afresh = await page(story.id, story.slug, lang, true);
      expect(await page(story.id, story.slug, lang, false)).toBe(afresh);
      expect(await page(story.id, story.slug, lang, false)).toBe(afresh); // from the cache this time
      expect(afresh).toContain('A reply');
    }

    // A former contributor's name is replaced and a comment is edited: the page shows both.
    await db.update(comments).set({ authorName: 'Former contributor', body: 'Edited text' }).where(eq(comments.id, first));
    const afresh = await page(story.id, story.slug, 'en', true);
    const drawn = await page(story.id, story.slug, 'en', false);
    expect(drawn).toBe(afresh);
    expect(drawn).toContain('Edited text');
    expect(drawn).not.toContain('https://example.org');
    expect(drawn).toContain('Former contributor');
  });
});
