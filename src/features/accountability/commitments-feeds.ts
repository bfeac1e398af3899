import type { Lang } from '#src/lib/i18n.ts';
import { rssChannel } from '#src/lib/rss.ts';
import { csvRow } from '#src/lib/csv.ts';
import type { Translator } from '#src/lib/i18n.ts';
import type { CommitmentView } from './commitments-reads.ts';
import type { UpdateRow } from './commitments-repository.ts';

// The RSS feed of updates and the CSV of every published commitment.

type FeedItem = { update: UpdateRow; slug: string; commitmentTitle: string };

// The updates of every published commitment, newest first; one commitment's page carries several.
export function updatesFeed(opts: {
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
    link: `${baseUrl}/commitments`,
    self: `${baseUrl}/commitments/updates.rss`,
    description: opts.description,
    language: opts.language,
    lastBuild: opts.items[0]?.update.publishedAt ?? opts.now,
    items: opts.items.map(({ update, slug, commitmentTitle }) => {
      const url = `${baseUrl}/commitments/${encodeURIComponent(slug)}`;
      return {
        title: `${commitmentTitle}: ${update.title}`,
        link: url,
        guid: `${url}#update-${update.id}`,
        guidIsLink: false,
        published: update.publishedAt,
        description: update.bodyHtml,
      };
    }),
  });
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
