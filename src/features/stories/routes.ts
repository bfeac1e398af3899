import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { isStaff } from '#src/platform/identity/roles.ts';
import { rssFeed, sitemap } from './feeds.ts';
import { createPageCache, etagOf, notModified } from './page-cache.ts';
import { pageCount, pageHref, paginationParams, parsePage } from '#src/lib/pagination.ts';
import { SLUG_PATTERN } from './schema.ts';
import { STORY_TEMPLATE, renderStoryPage, storyPageData } from './story-page.ts';
import type { StorySummary } from './service.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { languageLinks } from '#src/plugins/language.ts';

export const STORIES_PER_PAGE = 10;
const PAGE_CACHE_TTL_MS = 10_000;
// Room for the busiest pages in both languages, each with its brotli and gzip copies.
const PAGE_CACHE_BYTES = 32 * 1024 * 1024;

type PageQuery = { Querystring: { page?: unknown } };

// Links shared on social media carry tracking parameters; they do not change the page.
// `lang` chooses the language, which is part of the cache key.
const ignoredParam = (key: string) => key.startsWith('utm_') || key === 'fbclid' || key === 'gclid' || key === 'lang';
const cacheable = (query: Record<string, unknown>) => Object.keys(query).every(ignoredParam);

export default async function storyRoutes(app: FastifyInstance) {
  const { stories, comments, events, settings } = app.services;
  const { baseUrl } = app.config;
  const cache = createPageCache({ ttlMs: PAGE_CACHE_TTL_MS, maxBytes: PAGE_CACHE_BYTES });
  const invalidate = (storyId: number) => cache.invalidateStory(storyId);
  const commentsChanged = (id: number, type: string) => {
    if (type === 'story') invalidate(id);
  };
  events.on('story.changed', invalidate);
  events.on('comments.changed', commentsChanged);
  app.addHook('onClose', async () => {
    events.off('story.changed', invalidate);
    events.off('comments.changed', commentsChanged);
  });

  // Each story's title and summary in the page's language, or the English marked as such.
  const inLanguage = <S extends StorySummary>(items: S[], lang: Lang) => items.map((s) => localised(s, ['title', 'summary'], lang));

  app.get<PageQuery>('/stories', async (req, reply) => {
    const page = parsePage(req.query.page);
    if (!page) throw notFound();
    const [list, tags] = await Promise.all([stories.listPublished({ page, perPage: STORIES_PER_PAGE }), stories.liveTags()]);
    const lastPage = pageCount(list.total, STORIES_PER_PAGE);
    if (page > lastPage) throw notFound();
    return reply.render('stories/views/index.njk', {
      pageTitle: page > 1 ? msg('stories.list.titlePaged', { page, last: lastPage }) : msg('stories.list.title'),
      canonicalUrl: `${baseUrl}${pageHref('/stories')(page)}`,
      stories: inLanguage(list.items, req.lang),
      total: list.total,
      page,
      lastPage,
      tags,
      pagination: paginationParams(page, list.total, STORIES_PER_PAGE, pageHref('/stories')),
    });
  });

  app.get<PageQuery & { Params: { slug: string } }>('/stories/tags/:slug', async (req, reply) => {
    const page = parsePage(req.query.page);
    if (!page || !SLUG_PATTERN.test(req.params.slug)) throw notFound();
    const found = await stories.listPublishedByTag(req.params.slug, { page, perPage: STORIES_PER_PAGE });
    if (!found) throw notFound('tag');
    const lastPage = pageCount(found.total, STORIES_PER_PAGE);
    if (page > lastPage) throw notFound();
    const path = `/stories/tags/${found.tag.slug}`;
    return reply.render('stories/views/tag.njk', {
      pageTitle:
        page > 1
          ? msg('stories.tag.titlePaged', { tag: found.tag.name, page, last: lastPage })
          : msg('stories.tag.title', { tag: found.tag.name }),
      canonicalUrl: `${baseUrl}${pageHref(path)(page)}`,
      tag: found.tag,
      stories: inLanguage(found.items, req.lang),
      total: found.total,
      page,
      lastPage,
      pagination: paginationParams(page, found.total, STORIES_PER_PAGE, pageHref(path)),
    });
  });

  app.get<{ Params: { slug: string }; Querystring: Record<string, unknown> }>('/stories/:slug', async (req, reply) => {
    const { slug } = req.params;
    if (!SLUG_PATTERN.test(slug)) throw notFound('story');

    // Signed in (staff may see drafts), or asking for something particular to this request
    // (such as ?comment=pending after commenting): render afresh.
    if (req.currentUser || !cacheable(req.query)) {
      const story = isStaff(req.currentUser) ? await stories.findForStaff(slug) : await stories.findPublishedBySlug(slug);
      if (!story) throw notFound('story');
      return renderStoryPage(app, req, reply, story, { query: req.query });
    }

    // One cached page per language: rendered with this request's language (reply.locals.lang).
    const page = await cache.getOrRender(`${req.lang}:${slug}`, async () => {
      const story = await stories.findPublishedBySlug(slug);
      if (!story) return null;
      const thread = await comments.threadFor('story', story.id);
      // Shared by every reader of this language: the language links name the story's own
      // address, never the first reader's (which may carry tracking parameters).
      const address = `/stories/${story.slug}`;
      const body = reply.renderToBytes(STORY_TEMPLATE, {
        ...storyPageData(baseUrl, req.lang, story, thread, { query: {} }),
        ...languageLinks(baseUrl, address, req.lang),
        // The same bytes for every reader: the form's stamp goes in a cookie (below).
        csrfToken: null,
        formStamp: null,
      });
      return { body, storyId: story.id };
    });
    if (!page) throw notFound('story');
    // The comment form's stamp is this reader's own, so the answer is for this reader only.
    const stamp = comments.stampCookie();
    reply.setCookie(stamp.name, stamp.value, stamp.options);
    const { body, encoding } = cache.encodedFor(`${req.lang}:${slug}`, page, req.headers['accept-encoding']);
    reply.header('cache-control', 'private, no-cache').header('etag', etagOf(page, encoding)).header('vary', 'Accept-Encoding');
    if (notModified(page, req.headers['if-none-match'])) return reply.code(304).send();
    if (encoding) reply.header('content-encoding', encoding);
    return reply.type('text/html; charset=utf-8').send(body);
  });

  app.get('/feed.xml', async (_req, reply) => {
    const org = await settings.get();
    const xml = rssFeed({
      baseUrl,
      orgName: org.name,
      description: `Stories from ${org.name}`,
      stories: await stories.latestForFeed(20),
      now: new Date(),
    });
    return reply.header('cache-control', 'public, max-age=300').type('application/rss+xml; charset=utf-8').send(xml);
  });

  app.get('/sitemap.xml', async (_req, reply) => {
    const entries = await stories.sitemapEntries();
    const xml = sitemap({ baseUrl, stories: entries.stories, tags: entries.tags });
    return reply.header('cache-control', 'public, max-age=300').type('application/xml; charset=utf-8').send(xml);
  });
}
