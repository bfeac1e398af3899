import { rssChannel, xml } from '#src/lib/rss.ts';
import type { PublishedStory, StoryTag } from './service.ts';

const storyUrl = (baseUrl: string, slug: string) => `${baseUrl}/stories/${encodeURIComponent(slug)}`;
const tagUrl = (baseUrl: string, slug: string) => `${baseUrl}/stories/tags/${encodeURIComponent(slug)}`;

// The stories, newest first, with the full body for readers.
export function rssFeed(opts: { baseUrl: string; orgName: string; description: string; stories: PublishedStory[]; now: Date }): string {
  const { baseUrl, stories } = opts;
  return rssChannel({
    title: `${opts.orgName} stories`,
    link: `${baseUrl}/stories`,
    self: `${baseUrl}/feed.xml`,
    description: opts.description,
    language: 'en',
    lastBuild: stories[0]?.updatedAt ?? opts.now,
    namespaces: ['xmlns:dc="http://purl.org/dc/elements/1.1/"', 'xmlns:content="http://purl.org/rss/1.0/modules/content/"'],
    items: stories.map((s) => {
      const url = storyUrl(baseUrl, s.slug);
      return {
        title: s.title,
        link: url,
        guid: url,
        guidIsLink: true,
        published: s.publishedAt ?? s.updatedAt,
        description: s.summary,
        extra: [
          `      <dc:creator>${xml(s.authorJobTitle ? `${s.authorName}, ${s.authorJobTitle}` : s.authorName)}</dc:creator>`,
          `      <content:encoded>${xml(s.bodyHtml)}</content:encoded>`,
          ...s.tags.map((t) => `      <category domain="${xml(tagUrl(baseUrl, t.slug))}">${xml(t.name)}</category>`),
        ],
      };
    }),
  });
}

type SitemapStory = { slug: string; updatedAt: Date; publishedAt: Date | null };

export function sitemap(opts: { baseUrl: string; stories: SitemapStory[]; tags: StoryTag[] }): string {
  const { baseUrl } = opts;
  const url = (loc: string, lastmod?: Date) =>
    `  <url><loc>${xml(loc)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ''}</url>`;
  // A story scheduled for later changes (for readers) when it goes live, not when it was saved.
  const lastmod = (s: SitemapStory) => (s.publishedAt && s.publishedAt > s.updatedAt ? s.publishedAt : s.updatedAt);
  const newest = opts.stories.reduce<Date | undefined>((max, s) => (!max || lastmod(s) > max ? lastmod(s) : max), undefined);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    url(`${baseUrl}/`, newest),
    url(`${baseUrl}/stories`, newest),
    ...opts.stories.map((s) => url(storyUrl(baseUrl, s.slug), lastmod(s))),
    ...opts.tags.map((t) => url(tagUrl(baseUrl, t.slug))),
    '</urlset>',
    '',
  ].join('\n');
}
