import type { CommentTarget, FeatureContext } from '#src/platform/feature.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { localised, type Translations } from '#src/lib/localised.ts';
import { commitmentPath } from './commitments-lookup.ts';
import { createCommitmentsRepository, type CommitmentRow, type StatusRow } from './commitments-repository.ts';
import { publishedEntriesForCommitment } from './said-did-lookup.ts';
import { statusCategories, type StatusCategory } from './tables.ts';

// What the public pages and the staff list read: commitments with their status and who is
// responsible, as a tree (parents with their children under them).

export type CommitmentView = CommitmentRow & {
  path: string;
  status: StatusRow & { label: string };
  responsibleName: string | null;
  // The role and the named person, as one line ("Head of Involvement, Priya Shah").
  responsible: string;
  childCount: number;
  children: CommitmentView[];
};

export type Filters = { status: string | null; tag: string | null };

export const commitmentTarget = (row: {
  id: number;
  slug: string;
  title: string;
  commentsOpen: boolean;
  translations?: Translations | null;
}) =>
  ({
    type: 'commitment',
    id: row.id,
    key: row.slug,
    title: row.title,
    path: commitmentPath(encodeURIComponent(row.slug)),
    commentsOpen: row.commentsOpen,
    noun: 'commitment',
    translations: row.translations ?? {},
  }) satisfies CommentTarget & { translations: Translations };

const SIX_MONTHS_MS = 183 * 86_400_000;

export function createCommitmentReads(ctx: FeatureContext) {
  const repo = createCommitmentsRepository(ctx.db);

  // Rows as views, each with its status and responsible person, nested under their parents when
  // the parent is in the same list.
  async function asTree(rows: CommitmentRow[], lang: Lang): Promise<{ roots: CommitmentView[]; all: CommitmentView[] }> {
    const statuses = new Map((await repo.statuses()).map((s) => [s.id, { ...s, label: localised(s, ['name'], lang).name }]));
    const names = await ctx.services.identity.namesOf(rows.flatMap((r) => (r.responsibleUserId ? [r.responsibleUserId] : [])));
    const views = rows.map((r): CommitmentView => ({
      ...localised(r, ['title', 'promiseHtml', 'whyHtml'], lang),
      path: commitmentPath(r.slug),
      status: statuses.get(r.statusId)!,
      responsibleName: r.responsibleUserId ? (names.get(r.responsibleUserId) ?? null) : null,
      responsible: [r.responsibleRole, r.responsibleUserId ? names.get(r.responsibleUserId) : null].filter(Boolean).join(', '),
      childCount: 0,
      children: [],
    }));
    const byId = new Map(views.map((v) => [v.id, v]));
    const roots: CommitmentView[] = [];
    for (const v of views) {
      const parent = v.parentId ? byId.get(v.parentId) : undefined;
      if (parent) {
        parent.children.push(v);
        parent.childCount++;
      } else roots.push(v);
    }
    return { roots, all: views };
  }

  const countsOf = (views: CommitmentView[]) => {
    const byCategory = Object.fromEntries(statusCategories.map((c) => [c, 0])) as Record<StatusCategory, number>;
    for (const v of views) byCategory[v.status.category]++;
    return { total: views.length, byCategory };
  };

  return {
    commentTarget: async (where: { slug: string } | { id: number }): Promise<CommentTarget | null> => {
      const row = await repo.findPublished(where);
      return row ? commitmentTarget(row) : null;
    },

    // Every published commitment: the tree, or (with a filter) the matching ones in a flat list,
    // and the counts by category over all of them.
    async overview(lang: Lang, filters: Filters) {
      const { roots, all } = await asTree(await repo.published(), lang);
      const filtered = Boolean(filters.status || filters.tag);
      const matching = all.filter(
        (v) => (!filters.status || v.status.key === filters.status) && (!filters.tag || v.tags.includes(filters.tag)),
      );
      const tags = [...new Set(all.flatMap((v) => v.tags))].sort();
      // A filtered list is flat: a match's children show only when they match too.
      return {
        items: filtered ? matching.map((v) => ({ ...v, children: [] })) : roots,
        filtered,
        total: all.length,
        counts: countsOf(all).byCategory,
        tags,
      };
    },

    async onTrackFigures(): Promise<{ total: number; byCategory: Record<StatusCategory, number> }> {
      return countsOf((await asTree(await repo.published(), 'en')).all);
    },

    // A published commitment's page: the commitment, its published children, milestones,
    // updates, history and the "you said, we did" entries that advanced it.
    async page(slug: string, lang: Lang) {
      const row = await repo.findPublished({ slug });
      if (!row) return null;
      const children = (await repo.children(row.id)).filter((c) => c.publishedAt);
      const { all } = await asTree([row, ...children], lang);
      const [milestones, updates, history, saidDid, statuses] = await Promise.all([
        repo.milestones(row.id),
        repo.updates(row.id),
        repo.history(row.id),
        publishedEntriesForCommitment(ctx.db, row.id),
        repo.statuses(),
      ]);
      const statusNames = new Map(statuses.map((s) => [s.id, localised(s, ['name'], lang).name]));
      const parent = row.parentId ? await repo.findPublished({ id: row.parentId }) : null;
      return {
        commitment: all[0]!,
        parent: parent ? { ...localised(parent, ['title'], lang), path: commitmentPath(parent.slug) } : null,
        rollsUp: (await repo.children(row.id)).length > 0,
        milestones: milestones.map((m) => localised(m, ['title'], lang)),
        updates: updates.map((u) => localised(u, ['title', 'bodyHtml'], lang)),
        history: history.map((h) => ({
          ...h,
          fromStatus: h.fromStatusId ? (statusNames.get(h.fromStatusId) ?? null) : null,
          toStatus: h.toStatusId ? (statusNames.get(h.toStatusId) ?? null) : null,
        })),
        saidDid,
      };
    },

    async latestUpdates(limit = 20) {
      return repo.latestPublishedUpdates(limit);
    },

    // For staff: every commitment, drafts too, as a tree.
    async staffList(lang: Lang) {
      return (await asTree(await repo.all(), lang)).roots;
    },

    async staffView(id: number, lang: Lang) {
      const row = await repo.find(id);
      if (!row) return null;
      const children = await repo.children(row.id);
      const { all } = await asTree([row, ...children], lang);
      const [milestones, updates, history] = await Promise.all([repo.milestones(id), repo.updates(id), repo.history(id)]);
      return { commitment: all[0]!, rollsUp: children.length > 0, milestones, updates, history };
    },

    // What this member of staff wrote, changed or is named as responsible for.
    async personalData(userId: string) {
      const [created, responsibleFor, updates, changes] = await repo.byPerson(userId);
      return { created, responsibleFor, updates, statusChanges: changes.length };
    },

    // The staff home's counts: published commitments past their due date and not finished, and
    // those with no news (an update, or a change of status or progress) in six months.
    async needingAttention(now = new Date()) {
      const open = (await asTree(await repo.published(), 'en')).all.filter(
        (v) => v.status.category !== 'done' && v.status.category !== 'dropped',
      );
      const today = todayInLondon(now);
      const last = await repo.lastNewsAt(open.map((v) => v.id));
      const stale = open.filter((v) => {
        const since = last.get(v.id) ?? v.publishedAt ?? v.createdAt;
        return now.getTime() - since.getTime() > SIX_MONTHS_MS;
      });
      return { overdue: open.filter((v) => v.dueOn && v.dueOn < today).length, stale: stale.length };
    },
  };
}
