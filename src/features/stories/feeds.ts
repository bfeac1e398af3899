import type { PublishedStory, StoryTag } from './service.ts';

// XML 1.0 forbids most control characters outright, even escaped; drop them, then escape.
// eslint-disable-next-line no-control-regex
const invalidXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const xml = (s: string | null | undefined) => (s ?? '').replace(invalidXmlChars, '').replace(/[&<>"']/g, (c) => xmlEscapes[c]!);

const storyUrl = (baseUrl: string, slug: string) => `${baseUrl}/stories/${encodeURIComponent(slug)}`;
const tagUrl = (baseUrl: string, slug: string) => `${baseUrl}/stories/tags/${encodeURIComponent(slug)}`;

// RSS 2.0, with atom:link rel="self" as feed validators ask, and the full body for readers.
export function rssFeed(opts: { baseUrl: string; orgName: string; description: string; stories: PublishedStory[]; now: Date }): string {
  const { baseUrl, stories } = opts;
  const lastBuild = stories[0]?.updatedAt ?? opts.now;
  const items = stories.map((s) => {
    const url = storyUrl(baseUrl, s.slug);
    const categories = s.tags.map((t) => `      <category domain="${xml(tagUrl(baseUrl, t.slug))}">${xml(t.name)}</category>`);
    return [
      '    <item>',
      `      <title>${xml(s.title)}</title>`,
      `      <link>${xml(url)}</link>`,
      `      <guid isPermaLink="true">${xml(url)}</guid>`,
      `      <pubDate>${(s.publishedAt ?? s.updatedAt).toUTCString()}</pubDate>`,
      `      <dc:creator>${xml(s.authorJobTitle ? `${s.authorName}, ${s.authorJobTitle}` : s.authorName)}</dc:creator>`,
      `      <description>${xml(s.summary)}</description>`,
      `      <content:encoded>${xml(s.bodyHtml)}</content:encoded>`,
      ...categories,
      '    </item>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    '  <channel>',
    `    <title>${xml(`${opts.orgName} stories`)}</title>`,
    `    <link>${xml(`${baseUrl}/stories`)}</link>`,
    `    <description>${xml(opts.description)}</description>`,
    '    <language>en-gb</language>',
    `    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`,
    `    <atom:link href="${xml(`${baseUrl}/feed.xml`)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
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
