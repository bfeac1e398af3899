import { xml } from '#src/features/stories/feeds.ts';
import { csvRow } from '#src/lib/csv.ts';
import type { Translator } from '#src/lib/i18n.ts';
import type { CommitmentView } from './commitments-reads.ts';
import type { UpdateRow } from './commitments-repository.ts';

// The RSS feed of updates and the CSV of every published commitment.

type FeedItem = { update: UpdateRow; slug: string; commitmentTitle: string };

// RSS 2.0, with atom:link rel="self" as feed validators ask.
export function updatesFeed(opts: { baseUrl: string; title: string; description: string; items: FeedItem[]; now: Date }): string {
  const { baseUrl } = opts;
  const lastBuild = opts.items[0]?.update.publishedAt ?? opts.now;
  const items = opts.items.map(({ update, slug, commitmentTitle }) => {
    const url = `${baseUrl}/commitments/${encodeURIComponent(slug)}`;
    return [
      '    <item>',
      `      <title>${xml(`${commitmentTitle}: ${update.title}`)}</title>`,
      `      <link>${xml(url)}</link>`,
      `      <guid isPermaLink="false">${xml(`${url}#update-${update.id}`)}</guid>`,
      `      <pubDate>${update.publishedAt.toUTCString()}</pubDate>`,
      `      <description>${xml(update.bodyHtml)}</description>`,
      '    </item>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${xml(opts.title)}</title>`,
    `    <link>${xml(`${baseUrl}/commitments`)}</link>`,
    `    <description>${xml(opts.description)}</description>`,
    '    <language>en-gb</language>',
    `    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`,
    `    <atom:link href="${xml(`${baseUrl}/commitments/updates.rss`)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

const H = 'commitments.csv';

// One row per published commitment, parents before their children.
export function commitmentsCsv(roots: CommitmentView[], baseUrl: string, tr: Translator): string {
  const columns = ['title', 'parent', 'status', 'progress', 'startsOn', 'dueOn', 'responsible', 'tags', 'link'];
  let out = '\uFEFF' + csvRow(columns.map((c) => tr.t(`${H}.${c}`)));
  const walk = (items: CommitmentView[], parent: string | null) => {
    for (const c of items) {
      out += csvRow([
        c.title,
        parent,
        c.status.label,
        c.progress,
        c.startsOn,
        c.dueOn,
        c.responsible,
        c.tags.join(', '),
        `${baseUrl}${c.path}`,
      ]);
      walk(c.children, c.title);
    }
  };
  walk(roots, null);
  return out;
}
