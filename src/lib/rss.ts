import type { Lang } from './i18n.ts';

// RSS 2.0 documents, with atom:link rel="self" as feed validators ask. The features give the
// channel and its items; this writes and escapes them the same way for every feed.

// XML 1.0 forbids most control characters outright, even escaped; drop them, then escape.
// eslint-disable-next-line no-control-regex
const invalidXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const xml = (s: string | null | undefined) => (s ?? '').replace(invalidXmlChars, '').replace(/[&<>"']/g, (c) => xmlEscapes[c]!);

export type RssItem = {
  title: string;
  link: string;
  // The item's permanent address (isPermaLink) or, when one page carries several items, an id.
  guid: string;
  guidIsLink: boolean;
  published: Date;
  description: string;
  // More elements, already written and indented (dc:creator, content:encoded, category …).
  extra?: string[];
};

export type RssChannel = {
  title: string;
  // The page the feed is of, and the feed's own address.
  link: string;
  self: string;
  description: string;
  // The language the feed's text is in (the reader's, where the feature translates it).
  language: Lang;
  // When it last changed: the newest item's date, or now for an empty feed.
  lastBuild: Date;
  items: RssItem[];
  // Extra namespaces, as attributes of <rss> (xmlns:dc="…").
  namespaces?: string[];
};

export function rssChannel(c: RssChannel): string {
  const items = c.items.map((i) =>
    [
      '    <item>',
      `      <title>${xml(i.title)}</title>`,
      `      <link>${xml(i.link)}</link>`,
      `      <guid isPermaLink="${i.guidIsLink}">${xml(i.guid)}</guid>`,
      `      <pubDate>${i.published.toUTCString()}</pubDate>`,
      `      <description>${xml(i.description)}</description>`,
      ...(i.extra ?? []),
      '    </item>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<rss version="2.0" ${['xmlns:atom="http://www.w3.org/2005/Atom"', ...(c.namespaces ?? [])].join(' ')}>`,
    '  <channel>',
    `    <title>${xml(c.title)}</title>`,
    `    <link>${xml(c.link)}</link>`,
    `    <description>${xml(c.description)}</description>`,
    `    <language>${c.language === 'cy' ? 'cy' : 'en-gb'}</language>`,
    `    <lastBuildDate>${c.lastBuild.toUTCString()}</lastBuildDate>`,
    `    <atom:link href="${xml(c.self)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
