import { and, asc, count, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { stories, storyImages, storyTags, tags } from './tables.ts';

// Drizzle queries only; rules about what may be shown or saved live in service.ts.

export type StoryRow = typeof stories.$inferSelect;
export type NewStoryRow = Omit<typeof stories.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
export type TagRow = typeof tags.$inferSelect;
export type StoryImageRow = typeof storyImages.$inferSelect;

// The same expression as the index stories_title_search_idx, so the search uses it.
const titleMatches = (tsquery: string) => sql`to_tsvector('simple', ${stories.title}) @@ to_tsquery('simple', ${tsquery})`;

const summaryColumns = {
  id: stories.id,
  slug: stories.slug,
  title: stories.title,
  summary: stories.summary,
  publishedAt: stories.publishedAt,
  translations: stories.translations,
};

// What a reader's page shows of a story (not its Markdown source), with its tags by name gathered
// in the same query: the story page asks for both on every uncached render.
const pageColumns = {
  id: stories.id,
  slug: stories.slug,
  title: stories.title,
  summary: stories.summary,
  publishedAt: stories.publishedAt,
  bodyHtml: stories.bodyHtml,
  authorName: stories.authorName,
  authorJobTitle: stories.authorJobTitle,
  commentsOpen: stories.commentsOpen,
  updatedAt: stories.updatedAt,
  translations: stories.translations,
  // Spelled out with aliases: Drizzle leaves the columns of a one-table select unqualified.
  tags: sql<
    { slug: string; name: string }[]
  >`coalesce((select json_agg(json_build_object('slug', t.slug, 'name', t.name) order by t.name) from ${storyTags} st inner join ${tags} t on t.id = st.tag_id where st.story_id = ${stories}.id), '[]'::json)`,
};
export type StoryPageRow = {
  [K in keyof typeof pageColumns]: K extends 'tags' ? { slug: string; name: string }[] : StoryRow[K & keyof StoryRow];
};

// Readers see a story once it is published and its publish date has come.
const isLive = (now: Date) => and(eq(stories.status, 'published'), lte(stories.publishedAt, now));

export function createStoriesRepository(db: Db) {
  return {
    async listLive(opts: { now: Date; limit: number; offset: number; tagId?: number }) {
      const where =
        opts.tagId === undefined
          ? isLive(opts.now)
          : and(
              isLive(opts.now),
              inArray(stories.id, db.select({ id: storyTags.storyId }).from(storyTags).where(eq(storyTags.tagId, opts.tagId))),
            );
      const items = await db
        .select(summaryColumns)
        .from(stories)
        .where(where)
        .orderBy(desc(stories.publishedAt), desc(stories.id))
        .limit(opts.limit)
        .offset(opts.offset);
      const [total] = await db.select({ n: count() }).from(stories).where(where);
      return { items, total: total?.n ?? 0 };
    },

    async findStory(by: { slug: string } | { id: number }): Promise<StoryRow | null> {
      const where = 'slug' in by ? eq(stories.slug, by.slug) : eq(stories.id, by.id);
      const [row] = await db.select().from(stories).where(where).limit(1);
      return row ?? null;
    },

    async findLiveWithTags(by: { slug: string } | { id: number }, now: Date): Promise<StoryPageRow | null> {
      const where = 'slug' in by ? eq(stories.slug, by.slug) : eq(stories.id, by.id);
      const [row] = await db
        .select(pageColumns)
        .from(stories)
        .where(and(where, isLive(now)))
        .limit(1);
      return row ?? null;
    },

    async tagsOfStories(storyIds: number[]) {
      if (!storyIds.length) return new Map<number, { slug: string; name: string }[]>();
      const rows = await db
        .select({ storyId: storyTags.storyId, slug: tags.slug, name: tags.name })
        .from(storyTags)
        .innerJoin(tags, eq(tags.id, storyTags.tagId))
        .where(inArray(storyTags.storyId, storyIds))
        .orderBy(asc(tags.name));
      const byStory = new Map<number, { slug: string; name: string }[]>();
      for (const r of rows) {
        const list = byStory.get(r.storyId) ?? [];
        list.push({ slug: r.slug, name: r.name });
        byStory.set(r.storyId, list);
      }
      return byStory;
    },

    async findTagBySlug(slug: string): Promise<TagRow | null> {
      const [row] = await db.select().from(tags).where(eq(tags.slug, slug)).limit(1);
      return row ?? null;
    },

    // Tags with at least one story readers can see, for the stories page and the sitemap.
    async liveTags(now: Date) {
      return db
        .select({ slug: tags.slug, name: tags.name, stories: count(stories.id) })
        .from(tags)
        .innerJoin(storyTags, eq(storyTags.tagId, tags.id))
        .innerJoin(stories, eq(stories.id, storyTags.storyId))
        .where(isLive(now))
        .groupBy(tags.id, tags.slug, tags.name)
        .orderBy(asc(tags.name));
    },

    async latestLiveWithBodies(now: Date, limit: number) {
      return db.select().from(stories).where(isLive(now)).orderBy(desc(stories.publishedAt), desc(stories.id)).limit(limit);
    },

    async allLiveForSitemap(now: Date) {
      return db
        .select({ slug: stories.slug, updatedAt: stories.updatedAt, publishedAt: stories.publishedAt })
        .from(stories)
        .where(isLive(now))
        .orderBy(desc(stories.publishedAt));
    },

    // `tsquery` (already built from safe words) narrows the list to titles that match.
    async listForStaff(opts: { limit: number; offset: number; tsquery?: string | null }) {
      const where = opts.tsquery ? titleMatches(opts.tsquery) : undefined;
      const items = await db
        .select({
          id: stories.id,
          slug: stories.slug,
          title: stories.title,
          status: stories.status,
          publishedAt: stories.publishedAt,
          updatedAt: stories.updatedAt,
        })
        .from(stories)
        .where(where)
        .orderBy(desc(stories.updatedAt), desc(stories.id))
        .limit(opts.limit)
        .offset(opts.offset);
      const [total] = await db.select({ n: count() }).from(stories).where(where);
      return { items, total: total?.n ?? 0 };
    },

    // Story ids and titles, for staff choosing a story in a filter (comments by story).
    titles() {
      return db.select({ id: stories.id, title: stories.title }).from(stories).orderBy(asc(stories.title), asc(stories.id));
    },

    // Tags and images go with it (foreign keys cascade); the caller removes comments and files.
    async deleteStory(id: number, runner: Db | Tx = db): Promise<boolean> {
      const rows = await runner.delete(stories).where(eq(stories.id, id)).returning({ id: stories.id });
      return rows.length > 0;
    },

    async setDraft(id: number, runner: Db | Tx = db): Promise<boolean> {
      const rows = await runner
        .update(stories)
        .set({ status: 'draft', updatedAt: sql`now()` })
        .where(and(eq(stories.id, id), eq(stories.status, 'published')))
        .returning({ id: stories.id });
      return rows.length > 0;
    },

    // --- images ---
    imagesOf(storyId: number, runner: Db | Tx = db): Promise<StoryImageRow[]> {
      return runner.select().from(storyImages).where(eq(storyImages.storyId, storyId)).orderBy(asc(storyImages.id));
    },

    async insertImage(values: typeof storyImages.$inferInsert, runner: Db | Tx = db): Promise<StoryImageRow> {
      const [row] = await runner.insert(storyImages).values(values).returning();
      return row!;
    },

    async setBody(id: number, body: { bodyMarkdown: string; bodyHtml: string }, runner: Db | Tx = db) {
      await runner
        .update(stories)
        .set({ ...body, updatedAt: sql`now()` })
        .where(eq(stories.id, id));
    },

    async slugInUse(slug: string, exceptId?: number): Promise<boolean> {
      const where = exceptId === undefined ? eq(stories.slug, slug) : and(eq(stories.slug, slug), ne(stories.id, exceptId));
      const [row] = await db.select({ id: stories.id }).from(stories).where(where).limit(1);
      return !!row;
    },

    async insertStory(values: NewStoryRow, runner: Db | Tx = db): Promise<number> {
      const [row] = await runner.insert(stories).values(values).returning({ id: stories.id });
      return row!.id;
    },

    async updateStory(id: number, values: NewStoryRow, runner: Db | Tx = db): Promise<boolean> {
      const rows = await runner
        .update(stories)
        .set({ ...values, updatedAt: sql`now()` })
        .where(eq(stories.id, id))
        .returning({ id: stories.id });
      return rows.length > 0;
    },

    // Replaces a story's tags, creating tags that do not exist yet (matched by slug, so
    // "Coproduction" and "coproduction" are one tag and keep the name first given).
    async setStoryTags(storyId: number, wanted: { slug: string; name: string }[], runner: Db | Tx = db) {
      await runner.delete(storyTags).where(eq(storyTags.storyId, storyId));
      if (!wanted.length) return;
      await runner.insert(tags).values(wanted).onConflictDoNothing({ target: tags.slug });
      const found = await runner
        .select({ id: tags.id })
        .from(tags)
        .where(
          inArray(
            tags.slug,
            wanted.map((t) => t.slug),
          ),
        );
      await runner
        .insert(storyTags)
        .values(found.map((t) => ({ storyId, tagId: t.id })))
        .onConflictDoNothing();
    },
  };
}
export type StoriesRepository = ReturnType<typeof createStoriesRepository>;
