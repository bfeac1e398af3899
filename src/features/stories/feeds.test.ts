import { describe, expect, it } from 'vitest';
import { rssFeed, sitemap } from './feeds.ts';
import { xml } from '#src/lib/rss.ts';
import type { PublishedStory } from './service.ts';
import { xmlProblems } from './testing.ts';

const tricky: PublishedStory = {
  id: 1,
  slug: 'fish-chips',
  title: 'Fish & chips <on> "Fridays" \u0007',
  summary: "Tom's <b>bold</b> claim & more",
  bodyHtml: '<p>Body with <a href="https://example.org/?a=1&amp;b=2">a link</a></p>',
  authorName: 'Ann & Co',
  authorJobTitle: 'Lead <3',
  commentsOpen: true,
  publishedAt: new Date('2026-10-27T09:00:00Z'),
  updatedAt: new Date('2026-10-28T10:00:00Z'),
  translations: {},
  tags: [{ slug: 'r-d', name: 'R&D' }],
};

describe('XML helpers', () => {
  it('escapes markup characters and drops characters XML forbids', () => {
    expect(xml(`<a href="x">'&'</a>\u0000\u000b`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('the well-formedness check finds real problems', () => {
    const ok = '<?xml version="1.0" encoding="UTF-8"?>\n<a><b x="1"/>text &amp; more</a>\n';
    expect(xmlProblems(ok)).toEqual([]);
    expect(xmlProblems(ok.replace('&amp;', '&'))).not.toEqual([]);
    expect(xmlProblems(ok.replace('</a>', ''))).not.toEqual([]);
    expect(xmlProblems(ok.replace('text', 'a < b'))).not.toEqual([]);
    expect(xmlProblems(`${ok}<c/>`)).not.toEqual([]);
  });
});

describe('RSS feed', () => {
  const feed = rssFeed({
    baseUrl: 'https://example.org',
    orgName: 'Health & Co',
    description: 'Stories',
    stories: [tricky],
    now: new Date(),
  });

  it('is well-formed with everything escaped', () => {
    expect(xmlProblems(feed)).toEqual([]);
    expect(feed).toContain('<title>Fish &amp; chips &lt;on&gt; &quot;Fridays&quot; </title>');
    expect(feed).toContain('<title>Health &amp; Co stories</title>');
    expect(feed).toContain('<description>Tom&apos;s &lt;b&gt;bold&lt;/b&gt; claim &amp; more</description>');
    expect(feed).toContain('&lt;a href=&quot;https://example.org/?a=1&amp;amp;b=2&quot;&gt;');
    expect(feed).toContain('<category domain="https://example.org/stories/tags/r-d">R&amp;D</category>');
  });

  it('is RSS 2.0 with a self link and absolute links', () => {
    expect(feed).toContain('<rss version="2.0"');
    expect(feed).toContain('<atom:link href="https://example.org/feed.xml" rel="self" type="application/rss+xml"/>');
    expect(feed).toContain('<link>https://example.org/stories/fish-chips</link>');
    expect(feed).toContain('<guid isPermaLink="true">https://example.org/stories/fish-chips</guid>');
    expect(feed).toContain('<pubDate>Tue, 27 Oct 2026 09:00:00 GMT</pubDate>');
  });
});

describe('sitemap', () => {
  it('lists the home page, the stories page, each story with lastmod, and tag pages', () => {
    const map = sitemap({
      baseUrl: 'https://example.org',
      stories: [
        { slug: 'a', updatedAt: new Date('2026-10-01T00:00:00Z'), publishedAt: new Date('2026-09-01T00:00:00Z') },
        // Saved before it went live: readers first saw it on its publish date.
        { slug: 'b', updatedAt: new Date('2026-09-01T00:00:00Z'), publishedAt: new Date('2026-11-01T00:00:00Z') },
      ],
      tags: [{ slug: 'r-d', name: 'R&D' }],
    });
    expect(xmlProblems(map)).toEqual([]);
    expect(map).toContain('<url><loc>https://example.org/</loc><lastmod>2026-11-01T00:00:00.000Z</lastmod></url>');
    expect(map).toContain('<url><loc>https://example.org/stories</loc>');
    expect(map).toContain('<url><loc>https://example.org/stories/a</loc><lastmod>2026-10-01T00:00:00.000Z</lastmod></url>');
    expect(map).toContain('<url><loc>https://example.org/stories/b</loc><lastmod>2026-11-01T00:00:00.000Z</lastmod></url>');
    expect(map).toContain('<url><loc>https://example.org/stories/tags/r-d</loc></url>');
  });
});
