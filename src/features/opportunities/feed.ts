import type { Lang } from '#src/lib/i18n.ts';
import { rssChannel } from '#src/lib/rss.ts';

type FeedItem = { slug: string; title: string; summary: string; closes: string; publishedAt: Date | null; updatedAt: Date };

// The open opportunities, newest first.
export function rssFeed(opts: {
  baseUrl: string;
  language: Lang;
  title: string;
  description: string;
  items: FeedItem[];
  now: Date;
}): string {
  const { baseUrl } = opts;
  return rssChannel({
    title: opts.title,
    link: `${baseUrl}/opportunities`,
    self: `${baseUrl}/opportunities/feed.xml`,
    description: opts.description,
    language: opts.language,
    lastBuild: opts.items[0]?.publishedAt ?? opts.now,
    items: opts.items.map((o) => {
      const url = `${baseUrl}/opportunities/${encodeURIComponent(o.slug)}`;
      return {
        title: o.title,
        link: url,
        guid: url,
        guidIsLink: true,
        published: o.publishedAt ?? o.updatedAt,
        description: `${o.summary} ${o.closes}`,
      };
    }),
  });
}
