import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { stories as storiesTable } from './tables.ts';
import { approvedComment } from '#tests/helpers/factories.ts';
import { daysFromNow, storyInput, xmlProblems } from './testing.ts';
import type { StoryInput } from './schema.ts';

const { app, db, services } = await buildTestApp();
const baseUrl = app.config.baseUrl;

async function create(overrides: Partial<StoryInput> = {}) {
  const result = await services.stories.create(storyInput(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

const count = (html: string, needle: string) => html.split(needle).length - 1;
const listed = (html: string) => count(html, 'class="nhsuk-heading-m nhsuk-u-margin-bottom-1"><a href="/stories/');

let tricky: { id: number; slug: string };
let draft: { id: number; slug: string };
let future: { id: number; slug: string };

beforeAll(async () => {
  const paging = { slug: 'route-paging', name: 'Route paging' };
  for (let i = 12; i >= 1; i--) await create({ title: `Paged story ${i}`, publishedOn: daysFromNow(-i - 1), tags: [paging] });
  tricky = await create({
    title: 'Fish & chips <em>today</em>',
    slug: 'fish-and-chips',
    summary: 'Tom said "yes" & <b>no</b>',
    bodyMarkdown: 'Hello **readers**.\n\n<script>alert(1)</script>',
    authorName: 'Ann Author',
    authorJobTitle: 'Head of Things',
    tags: [{ slug: 'r-and-d', name: 'R&D' }],
  });
  draft = await create({ title: 'Secret draft', status: 'draft' });
  future = await create({ title: 'Future story', publishedOn: daysFromNow(5) });
});

describe('stories list', () => {
  it('shows ten stories a page, newest first, with NHS pagination', async () => {
    const first = await app.inject('/stories');
    expect(first.statusCode).toBe(200);
    expect(listed(first.body)).toBe(10);
    expect(count(first.body, '<h1')).toBe(1);
    expect(first.body.indexOf('Fish &amp; chips')).toBeLessThan(first.body.indexOf('Paged story 1<'));
    expect(first.body).toContain('class="nhsuk-pagination');
    expect(first.body).toContain('href="/stories?page=2"');
    expect(first.body).not.toContain('Secret draft');
    expect(first.body).not.toContain('Future story');

    const second = await app.inject('/stories?page=2');
    expect(second.statusCode).toBe(200);
    expect(listed(second.body)).toBe(3);
    expect(second.body).toContain('<link rel="canonical" href="http://localhost:3000/stories?page=2">');
    expect((await app.inject('/stories?page=3')).statusCode).toBe(404);
  });

  it.each(['0', '-1', '1.5', 'abc', '99999999999999999999', '1&page=2', '%00x'])('answers ?page=%s with 404, not a fault', async (page) => {
    const res = await app.inject(`/stories?page=${page}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });

  it('links to topics and the home page still shows the latest stories', async () => {
    const list = await app.inject('/stories');
    expect(list.body).toContain('<a href="/stories/tags/route-paging">Route paging</a>');
    const home = await app.inject('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('href="/stories/fish-and-chips"');
  });
});

describe('tag pages', () => {
  it('list the stories with a tag, paginated', async () => {
    const res = await app.inject('/stories/tags/route-paging');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Route paging');
    expect(listed(res.body)).toBe(10);
    expect(res.body).toContain('href="/stories/tags/route-paging?page=2"');
    const second = await app.inject('/stories/tags/route-paging?page=2');
    expect(listed(second.body)).toBe(2);
    expect(second.body).not.toContain('Fish &amp; chips');
  });

  it.each([
    '/stories/tags/no-such-tag',
    '/stories/tags/Not_A_Slug',
    '/stories/tags/route-paging?page=9',
    '/stories/tags/route-paging?page=x',
  ])('%s is not found', async (url) => {
    expect((await app.inject(url)).statusCode).toBe(404);
  });
});

describe('story page', () => {
  it('shows the story with its lede, author, date, tags and sanitised body', async () => {
    const res = await app.inject(`/stories/${tricky.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.body).toContain('<h1 class="nhsuk-heading-xl nhsuk-u-margin-bottom-4">Fish &amp; chips &lt;em&gt;today&lt;/em&gt;</h1>');
    expect(count(res.body, '<h1')).toBe(1);
    expect(res.body).toContain('<p class="nhsuk-lede-text">Tom said &quot;yes&quot; &amp; &lt;b&gt;no&lt;/b&gt;</p>');
    expect(res.body).toContain('Ann Author</strong>, Head of Things');
    expect(res.body).toMatch(/Published <time datetime="[^"]+">\d{1,2} \w+ \d{4}<\/time>/);
    expect(res.body).toContain('<a href="/stories/tags/r-and-d">R&amp;D</a>');
    expect(res.body).toContain('<strong>readers</strong>');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).not.toContain('__COPRODUCE_');
  });

  it('sets canonical, description and Open Graph tags', async () => {
    const { body } = await app.inject(`/stories/${tricky.slug}`);
    const url = `${baseUrl}/stories/${tricky.slug}`;
    expect(body).toContain(`<link rel="canonical" href="${url}">`);
    expect(body).toContain('<meta name="description" content="Tom said &quot;yes&quot; &amp; &lt;b&gt;no&lt;/b&gt;">');
    expect(body).toContain('<meta property="og:title" content="Fish &amp; chips &lt;em&gt;today&lt;/em&gt;">');
    expect(body).toContain('<meta property="og:description" content="Tom said &quot;yes&quot;');
    expect(body).toContain(`<meta property="og:url" content="${url}">`);
    expect(body).toContain('<meta property="og:type" content="article">');
    expect(body).toMatch(/<meta property="article:published_time" content="\d{4}-\d\d-\d\dT[\d:.]+Z">/);
    expect(body).not.toContain('noindex');
  });

  it('is not found for drafts, future stories and unknown slugs', async () => {
    for (const slug of [draft.slug, future.slug, 'no-such-story', 'Bad%20Slug']) {
      const res = await app.inject(`/stories/${slug}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Secret draft');
    }
  });

  it('lets staff preview drafts and future stories, uncached and not indexed', async () => {
    const { browser } = await signedInBrowser(app);
    const res = await browser.get(`/stories/${draft.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Secret draft');
    expect(res.body).toContain('Only staff can see this story');
    expect(res.body).toContain('This story is a draft');
    expect(res.body).toContain('<meta name="robots" content="noindex">');
    expect(res.body).toContain(`href="/admin/stories/${draft.id}/edit"`);
    const scheduled = await browser.get(`/stories/${future.slug}`);
    expect(scheduled.body).toContain('This story is scheduled. Readers will see it from');

    const mine = await create({ title: 'Staff see it fresh' });
    const live = await browser.get(`/stories/${mine.slug}`);
    expect(live.body).not.toContain('Only staff can see this story');
    await db.update(storiesTable).set({ title: 'Changed behind the cache' }).where(eq(storiesTable.id, mine.id));
    expect((await browser.get(`/stories/${mine.slug}`)).body).toContain('Changed behind the cache');
  });
});

describe('anonymous page cache', () => {
  it('serves the stored page until the story or its comments change', async () => {
    const story = await create({ title: 'Cached title A' });
    const url = `/stories/${story.slug}`;
    expect((await app.inject(url)).body).toContain('Cached title A');

    // A change behind the service's back is not seen until an event says so...
    await db.update(storiesTable).set({ title: 'Cached title B' }).where(eq(storiesTable.id, story.id));
    await approvedComment(db, story.id, { body: 'Approved behind the cache' });
    expect((await app.inject(url)).body).not.toContain('Approved behind the cache');
    // ...and a tracking parameter does not bypass the cache.
    expect((await app.inject(`${url}?utm_source=newsletter`)).body).not.toContain('Approved behind the cache');
    // Other query parameters mean "something particular to this request": rendered afresh, with
    // the comments read again (the story as kept: it has not changed, as far as anyone has said).
    const afresh = (await app.inject(`${url}?comment=pending`)).body;
    expect(afresh).toContain('Approved behind the cache');
    expect(afresh).toContain('Cached title A');

    // A comment changed on another page leaves this one as it is; one on this page renders it
    // again with its comments, but the story is still the one kept until the story changes.
    await approvedComment(db, story.id, { body: 'A second approval' });
    services.events.emit('comments.changed', story.id + 100_000, 'story');
    expect((await app.inject(url)).body).not.toContain('A second approval');
    services.events.emit('comments.changed', story.id, 'story');
    const afterComment = (await app.inject(url)).body;
    expect(afterComment).toContain('A second approval');
    expect(afterComment).toContain('Cached title A');

    services.events.emit('story.changed', story.id);
    expect((await app.inject(url)).body).toContain('Cached title B');

    // Saving through the service announces the change itself.
    const saved = await services.stories.update(story.id, storyInput({ title: 'Cached title D', slug: story.slug }));
    expect(saved.ok).toBe(true);
    expect((await app.inject(url)).body).toContain('Cached title D');
  });

  it('stops serving a story that is unpublished', async () => {
    const story = await create({ title: 'Soon withdrawn' });
    expect((await app.inject(`/stories/${story.slug}`)).statusCode).toBe(200);
    await services.stories.update(story.id, storyInput({ title: 'Soon withdrawn', slug: story.slug, status: 'draft' }));
    expect((await app.inject(`/stories/${story.slug}`)).statusCode).toBe(404);
  });

  it('is the same bytes for every reader, with a fresh form stamp for each in a cookie', async () => {
    const a = await new Browser(app).get(`/stories/${tricky.slug}`);
    const b = await new Browser(app).get(`/stories/${tricky.slug}`);
    expect(a.body).toBe(b.body);
    expect(a.body).not.toMatch(/name="(_csrf|stamp)"|__COPRODUCE_/);
    expect(a.headers.etag).toBe(b.headers.etag);
    const stamp = (res: typeof a) => [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('coproduce.stamp='));
    expect(stamp(a)).toMatch(/^coproduce\.stamp=v1\.[0-9a-z]+\.[\w-]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
    expect([a.headers['set-cookie'] ?? []].flat().some((c) => c.startsWith('coproduce.csrf'))).toBe(false);
  });

  it('answers 304 to a reader who has the current page, and a changed page with a new ETag', async () => {
    const first = await app.inject(`/stories/${tricky.slug}`);
    const again = await app.inject({ url: `/stories/${tricky.slug}`, headers: { 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['set-cookie']).toBeDefined();
    await db.update(storiesTable).set({ summary: 'A new summary' }).where(eq(storiesTable.id, tricky.id));
    services.events.emit('story.changed', tricky.id);
    const changed = await app.inject({ url: `/stories/${tricky.slug}`, headers: { 'if-none-match': first.headers.etag as string } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('sends brotli or gzip, made once, to readers that accept them', async () => {
    const plain = await app.inject(`/stories/${tricky.slug}`);
    let br = await app.inject({ url: `/stories/${tricky.slug}`, headers: { 'accept-encoding': 'gzip, br' } });
    for (let i = 0; i < 100 && br.headers['content-encoding'] !== 'br'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      br = await app.inject({ url: `/stories/${tricky.slug}`, headers: { 'accept-encoding': 'gzip, br' } });
    }
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    const gz = await app.inject({ url: `/stories/${tricky.slug}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(plain.body);
    expect(gz.headers.etag).toBe(`${(plain.headers.etag as string).slice(0, -1)}-gzip"`);
    const again = await app.inject({
      url: `/stories/${tricky.slug}`,
      headers: { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
  });
});

describe('feed and sitemap', () => {
  it('serves RSS 2.0, well-formed and escaped, with absolute links and only live stories', async () => {
    const res = await app.inject('/feed.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(xmlProblems(res.body)).toEqual([]);
    expect(res.body).toContain(`<atom:link href="${baseUrl}/feed.xml" rel="self" type="application/rss+xml"/>`);
    expect(res.body).toContain('<title>Fish &amp; chips &lt;em&gt;today&lt;/em&gt;</title>');
    expect(res.body).toContain(`<link>${baseUrl}/stories/fish-and-chips</link>`);
    expect(res.body).not.toContain('Secret draft');
    expect(res.body).not.toContain('Future story');
    expect(count(res.body, '<item>')).toBeLessThanOrEqual(20);
  });

  it('serves a sitemap of the home page, stories (with lastmod) and tag pages', async () => {
    const res = await app.inject('/sitemap.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(xmlProblems(res.body)).toEqual([]);
    expect(res.body).toContain(`<loc>${baseUrl}/</loc>`);
    expect(res.body).toContain(`<loc>${baseUrl}/stories</loc>`);
    expect(res.body).toMatch(new RegExp(`<loc>${baseUrl}/stories/fish-and-chips</loc><lastmod>\\d{4}-`));
    expect(res.body).toContain(`<loc>${baseUrl}/stories/tags/r-and-d</loc>`);
    expect(res.body).not.toContain(draft.slug);
    expect(res.body).not.toContain(future.slug);
  });
});
