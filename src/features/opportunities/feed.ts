import { xml } from '#src/features/stories/feeds.ts';

type FeedItem = { slug: string; title: string; summary: string; closes: string; publishedAt: Date | null; updatedAt: Date };

// RSS 2.0 of the open opportunities, newest first, with atom:link rel="self" as validators ask.
export function rssFeed(opts: { baseUrl: string; title: string; description: string; items: FeedItem[]; now: Date }): string {
  const { baseUrl } = opts;
  const lastBuild = opts.items[0]?.publishedAt ?? opts.now;
  const items = opts.items.map((o) => {
    const url = `${baseUrl}/opportunities/${encodeURIComponent(o.slug)}`;
    return [
      '    <item>',
      `      <title>${xml(o.title)}</title>`,
      `      <link>${xml(url)}</link>`,
      `      <guid isPermaLink="true">${xml(url)}</guid>`,
      `      <pubDate>${(o.publishedAt ?? o.updatedAt).toUTCString()}</pubDate>`,
      `      <description>${xml(`${o.summary} ${o.closes}`)}</description>`,
      '    </item>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${xml(opts.title)}</title>`,
    `    <link>${xml(`${baseUrl}/opportunities`)}</link>`,
    `    <description>${xml(opts.description)}</description>`,
    '    <language>en-gb</language>',
    `    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`,
    `    <atom:link href="${xml(`${baseUrl}/opportunities/feed.xml`)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
