import type { EventEmitter } from 'node:events';
import type { Db, Tx } from '#src/db/client.ts';
import type { CommentTarget } from '#src/platform/feature.ts';
import { demoStoryId } from './seed.ts';
import type { DomainEvents } from '#src/platform/events.ts';
import type { FieldErrors } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { slugify } from '#src/lib/text.ts';
import { prefixTsquery, searchWords } from '#src/lib/search-words.ts';
import { withRenderedBodies } from './translations.ts';
import { msg } from '#src/lib/messages.ts';
import type { Translations } from '#src/lib/localised.ts';
import { createStoriesRepository, type NewStoryRow, type StoryPageRow, type StoryRow } from './repository.ts';
import { londonDate, sameDate, type CalendarDate, type StoryFormValues, type StoryInput, type StoryStatus } from './schema.ts';

// Other features (home page, comments) rely on these shapes and on the first three methods.
// `translations` holds other languages' versions ({ cy: { title, summary, bodyMarkdown, bodyHtml } }):
// pages show them with localised() (#src/lib/localised.ts).
export type StorySummary = {
  id: number;
  slug: string;
  title: string;
  summary: string;
  publishedAt: Date | null;
  translations: Translations;
};
export type StoryTag = { slug: string; name: string };
export type PublishedStory = StorySummary & {
  bodyHtml: string;
  authorName: string;
  authorJobTitle: string | null;
  commentsOpen: boolean;
  updatedAt: Date;
  tags: StoryTag[];
};
// What staff see: any status, and whether readers can see it yet.
export type StaffStory = PublishedStory & { status: StoryStatus; isLive: boolean };
export type StaffStoryListItem = {
  id: number;
  slug: string;
  title: string;
  status: StoryStatus;
  publishedAt: Date | null;
  updatedAt: Date;
  isLive: boolean;
};
export type Page<T> = { items: T[]; total: number };
export type SaveResult = { ok: true; id: number; slug: string } | { ok: false; errors: FieldErrors };

const isLiveAt = (row: { status: string; publishedAt: Date | null }, now: Date) =>
  row.status === 'published' && !!row.publishedAt && row.publishedAt.getTime() <= now.getTime();

// A story as the comments feature sees it. Its other languages' titles travel with it
// (`translations`), so comment pages and emails can name it in their own language.
export const storyTarget = (story: {
  id: number;
  slug: string;
  title: string;
  commentsOpen: boolean;
  translations?: Translations | null;
}): CommentTarget & { translations: Translations } => ({
  type: 'story',
  id: story.id,
  key: story.slug,
  title: story.title,
  path: `/stories/${encodeURIComponent(story.slug)}`,
  commentsOpen: story.commentsOpen,
  noun: 'story',
  translations: titlesOnly(story.translations),
});

const titlesOnly = (translations: Translations | null | undefined): Translations =>
  Object.fromEntries(Object.entries(translations ?? {}).flatMap(([lang, v]) => (v?.title ? [[lang, { title: v.title }]] : [])));

function toPublished(row: Omit<StoryPageRow, 'tags'>, tags: StoryTag[]): PublishedStory {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    publishedAt: row.publishedAt,
    bodyHtml: row.bodyHtml,
    authorName: row.authorName,
    authorJobTitle: row.authorJobTitle,
    commentsOpen: row.commentsOpen,
    updatedAt: row.updatedAt,
    translations: row.translations ?? {},
    tags,
  };
}

// A date typed into the form becomes a moment: an unchanged date keeps the moment already saved
// (so editing does not reorder stories), today means now, any other day starts at midnight UTC
// (which is that same day in the UK, in winter and summer time).
export function resolvePublishedAt(on: CalendarDate, now: Date, existing: Date | null): Date {
  if (existing && sameDate(londonDate(existing), on)) return existing;
  if (sameDate(londonDate(now), on)) return now;
  return new Date(Date.UTC(on.year, on.month - 1, on.day));
}

// The form's values for an existing story, as the edit page shows them.
export function formValuesOf(row: StoryRow, tags: StoryTag[]): StoryFormValues {
  const date = row.publishedAt ? londonDate(row.publishedAt) : null;
  return {
    title: row.title,
    slug: row.slug,
    summary: row.summary,
    body: row.bodyMarkdown,
    title_cy: row.translations?.cy?.title ?? '',
    summary_cy: row.translations?.cy?.summary ?? '',
    body_cy: row.translations?.cy?.bodyMarkdown ?? '',
    authorName: row.authorName,
    authorJobTitle: row.authorJobTitle ?? '',
    tags: tags.map((t) => t.name).join(', '),
    'publishedAt-day': date ? String(date.day) : '',
    'publishedAt-month': date ? String(date.month) : '',
    'publishedAt-year': date ? String(date.year) : '',
    status: row.status,
    comments: row.commentsOpen ? 'open' : 'closed',
  };
}

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
};

// A live story stays live until it changes, so a story once read as readers see it is kept, by slug
// and by id, until 'story.changed' (heard from every instance when REDIS_URL is set) or, like the
// page cache, for 10 s at most. Two paths read it over and over: the page rendered again after each
// comment is approved (a comment does not change the story, so its page needs only the comments
// read again; 1.4 ms of a 9 ms render on PGlite), and the story looked up behind each comment
// submission (the public write path's only other round trip). A story not found is never kept: a
// scheduled one becomes live without a change.
const LIVE_TTL_MS = 10_000;
const LIVE_KEPT = 200;

export function createStoriesService(db: Db, deps: { events: EventEmitter<DomainEvents>; now?: () => Date }) {
  const repo = createStoriesRepository(db);
  const now = deps.now ?? (() => new Date());
  const live = new Map<string, { story: PublishedStory; until: number }>();
  // Bumped by every change: a read that started before one is not kept after it.
  let changes = 0;
  deps.events.on('story.changed', (storyId) => {
    changes++;
    for (const [key, kept] of live) if (kept.story.id === storyId) live.delete(key);
  });

  async function findLive(where: { slug: string } | { id: number }): Promise<PublishedStory | null> {
    const key = 'slug' in where ? `slug:${where.slug}` : `id:${where.id}`;
    const kept = live.get(key);
    if (kept && kept.until > performance.now()) return kept.story;
    const startedAt = changes;
    const row = await repo.findLiveWithTags(where, now());
    if (!row) return null;
    const story = toPublished(row, row.tags);
    if (startedAt === changes) {
      live.delete(key);
      if (live.size >= LIVE_KEPT) live.delete(live.keys().next().value!);
      live.set(key, { story, until: performance.now() + LIVE_TTL_MS });
    }
    return story;
  }

  async function withTags(row: StoryRow): Promise<PublishedStory> {
    const tags = await repo.tagsOfStories([row.id]);
    return toPublished(row, tags.get(row.id) ?? []);
  }

  async function chooseSlug(input: StoryInput, exceptId?: number): Promise<{ slug: string } | { errors: FieldErrors }> {
    const slug = input.slug || slugify(input.title);
    if (!slug) return { errors: { slug: msg('stories.admin.form.slug.noLetters') } };
    if (await repo.slugInUse(slug, exceptId)) return { errors: { slug: slugTakenMessage(input, slug) } };
    return { slug };
  }

  const slugTakenMessage = (input: StoryInput, slug: string) =>
    input.slug ? msg('stories.admin.form.slug.taken') : msg('stories.admin.form.slug.takenFromTitle', { slug });

  function rowValues(input: StoryInput, slug: string, existing: Date | null): NewStoryRow {
    return {
      slug,
      title: input.title,
      summary: input.summary,
      bodyMarkdown: input.bodyMarkdown,
      bodyHtml: renderMarkdown(input.bodyMarkdown),
      translations: withRenderedBodies(input.translations),
      authorName: input.authorName,
      authorJobTitle: input.authorJobTitle,
      status: input.status,
      publishedAt: resolvePublishedAt(input.publishedOn, now(), existing),
      commentsOpen: input.commentsOpen,
    };
  }

  async function save(input: StoryInput, id?: number): Promise<SaveResult> {
    const existing = id === undefined ? null : await repo.findStory({ id });
    if (id !== undefined && !existing) return { ok: false, errors: { form: msg('stories.admin.form.gone') } };
    const chosen = await chooseSlug(input, id);
    if ('errors' in chosen) return { ok: false, errors: chosen.errors };
    const values = rowValues(input, chosen.slug, existing?.publishedAt ?? null);
    let savedId: number;
    try {
      savedId = await db.transaction(async (tx) => {
        const storyId = id === undefined ? await repo.insertStory(values, tx) : id;
        if (id !== undefined) await repo.updateStory(id, values, tx);
        await repo.setStoryTags(storyId, input.tags, tx);
        return storyId;
      });
    } catch (err) {
      // Two staff saving the same slug at once: the database's unique index decides.
      if (isUniqueViolation(err)) return { ok: false, errors: { slug: slugTakenMessage(input, chosen.slug) } };
      throw err;
    }
    deps.events.emit('story.changed', savedId);
    return { ok: true, id: savedId, slug: chosen.slug };
  }

  return {
    async listPublished(opts: { page: number; perPage: number }): Promise<Page<StorySummary>> {
      const page = Math.max(1, Math.floor(opts.page));
      return repo.listLive({ now: now(), limit: opts.perPage, offset: (page - 1) * opts.perPage });
    },

    // Null when there is no such tag or none of its stories are published yet.
    async listPublishedByTag(tagSlug: string, opts: { page: number; perPage: number }) {
      const tag = await repo.findTagBySlug(tagSlug);
      if (!tag) return null;
      const page = Math.max(1, Math.floor(opts.page));
      const found = await repo.listLive({ now: now(), limit: opts.perPage, offset: (page - 1) * opts.perPage, tagId: tag.id });
      if (found.total === 0) return null;
      return { tag: { slug: tag.slug, name: tag.name }, ...found };
    },

    async liveTags(): Promise<(StoryTag & { stories: number })[]> {
      return repo.liveTags(now());
    },

    // Published and with a publish date not in the future; null otherwise. Kept (above): what it
    // returns is shared, so never changed by the caller.
    findPublishedBySlug: (slug: string): Promise<PublishedStory | null> => findLive({ slug }),

    findPublishedById: (id: number): Promise<PublishedStory | null> => findLive({ id }),

    // Any status, for staff previewing a draft or a story scheduled for later.
    async findForStaff(slug: string): Promise<StaffStory | null> {
      const row = await repo.findStory({ slug });
      if (!row) return null;
      return { ...(await withTags(row)), status: row.status, isLive: isLiveAt(row, now()) };
    },

    async findForEdit(id: number): Promise<{ story: StaffStory; values: StoryFormValues } | null> {
      const row = await repo.findStory({ id });
      if (!row) return null;
      const story = await withTags(row);
      return { story: { ...story, status: row.status, isLive: isLiveAt(row, now()) }, values: formValuesOf(row, story.tags) };
    },

    // `q` searches titles (words match the start of words in the title, in any order).
    async listForStaff(opts: { page: number; perPage: number; q?: string }): Promise<Page<StaffStoryListItem>> {
      const page = Math.max(1, Math.floor(opts.page));
      const tsquery = opts.q ? prefixTsquery(searchWords(opts.q)) : null;
      // Something was typed, but nothing that can match (only symbols): no stories, not all of them.
      if (opts.q && !tsquery) return { total: 0, items: [] };
      const found = await repo.listForStaff({ limit: opts.perPage, offset: (page - 1) * opts.perPage, tsquery });
      const at = now();
      return { total: found.total, items: found.items.map((s) => ({ ...s, isLive: isLiveAt(s, at) })) };
    },

    // Every story's id and title (any status), for choosing one in a filter.
    titles: () => repo.titles(),

    create: (input: StoryInput) => save(input),
    update: (id: number, input: StoryInput) => save(input, id),

    // The story as readers would see it, without saving anything.
    async preview(input: StoryInput, id?: number): Promise<StaffStory> {
      const existing = id === undefined ? null : await repo.findStory({ id });
      const values = rowValues(input, input.slug || slugify(input.title), existing?.publishedAt ?? null);
      const at = now();
      return {
        id: id ?? 0,
        slug: values.slug,
        title: values.title,
        summary: values.summary,
        publishedAt: values.publishedAt ?? null,
        bodyHtml: values.bodyHtml,
        authorName: values.authorName,
        authorJobTitle: values.authorJobTitle ?? null,
        commentsOpen: values.commentsOpen ?? true,
        updatedAt: existing?.updatedAt ?? at,
        translations: values.translations ?? {},
        tags: input.tags,
        status: input.status,
        isLive: isLiveAt({ status: input.status, publishedAt: values.publishedAt ?? null }, at),
      };
    },

    // A published story as a page people comment on (the comments feature asks by slug or id).
    async commentTarget(where: { id: number } | { slug: string }): Promise<CommentTarget | null> {
      const story = await findLive(where);
      return story && storyTarget(story);
    },

    // The demo story's id, for other features' demo content (seeds run in one transaction).
    demoStoryId: (tx: Db | Tx) => demoStoryId(tx),

    // Newest published stories with their bodies and tags, for the RSS feed.
    async latestForFeed(limit = 20): Promise<PublishedStory[]> {
      const rows = await repo.latestLiveWithBodies(now(), limit);
      const tags = await repo.tagsOfStories(rows.map((r) => r.id));
      return rows.map((r) => toPublished(r, tags.get(r.id) ?? []));
    },

    async sitemapEntries() {
      const at = now();
      const [stories, tags] = await Promise.all([repo.allLiveForSitemap(at), repo.liveTags(at)]);
      return { stories, tags };
    },
  };
}
export type StoriesService = ReturnType<typeof createStoriesService>;
