import { eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, type Result } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { commitmentOptions } from './commitments-lookup.ts';
import { publishedEntryOptions, saidDidPath } from './said-did-lookup.ts';
import { createSaidDidRepository, type EntryRow, type NewEntry, type Period } from './said-did-repository.ts';
import { readEntryForm, type EntryFields } from './said-did-schema.ts';
import { createSaidDidPublic } from './said-did-public.ts';
import { commitments, type SaidSource } from './tables.ts';

const V = 'saidDidStaff.admin.validation';
export const saidDidEditPath = (id: number) => `/admin/you-said-we-did/${id}`;
export type SourceEntry = { id: number; path: string; editPath: string; published: boolean };

// The row's columns from the checked form: Markdown rendered and sanitised once, Welsh beside
// English in `translations`, a source id kept only for a meeting or a review.
function toRow(v: EntryFields, groupName: string | null): Partial<NewEntry> {
  const cy: Record<string, string> = {};
  if (v.title_cy) cy.title = v.title_cy;
  if (v.youSaid_cy) Object.assign(cy, { youSaidMarkdown: v.youSaid_cy, youSaidHtml: renderMarkdown(v.youSaid_cy) });
  if (v.weDid_cy) Object.assign(cy, { weDidMarkdown: v.weDid_cy, weDidHtml: renderMarkdown(v.weDid_cy) });
  return {
    title: v.title,
    youSaidMarkdown: v.youSaid,
    youSaidHtml: renderMarkdown(v.youSaid),
    weDidMarkdown: v.weDid,
    weDidHtml: renderMarkdown(v.weDid),
    source: v.source,
    sourceId: v.source === 'meeting' || v.source === 'review' ? v.sourceId : null,
    sourceTitle: v.sourceTitle,
    sourcePath: v.sourcePath,
    groupId: v.groupId,
    groupName,
    theme: v.theme,
    commitmentId: v.commitmentId,
    happenedOn: v.happenedOn,
    creditedNames: v.creditedNames,
    translations: Object.keys(cy).length ? { cy } : {},
  };
}

// "You said, we did": staff write entries (from a review's summary or a meeting's minutes in one
// step), publish them, and the public list, the standards' measures and evidence links read them.
export function createSaidDidService(db: Db, ctx: FeatureContext) {
  const repo = createSaidDidRepository(db);
  const { audit } = ctx.services;

  // The form's choices checked against what exists; the group's name is kept with the entry.
  async function check(form: Record<string, unknown>): Promise<Result<{ fields: EntryFields; groupName: string | null }>> {
    const v = readEntryForm(form);
    if (!v.ok) return v;
    const groupName = v.value.groupId === null ? null : await ctx.services.meetings.groupName(v.value.groupId);
    if (v.value.groupId !== null && groupName === null) return invalid({ groupId: msg(`${V}.groupId.choose`) });
    if (v.value.commitmentId !== null) {
      const [found] = await db.select({ id: commitments.id }).from(commitments).where(eq(commitments.id, v.value.commitmentId));
      if (!found) return invalid({ commitmentId: msg(`${V}.commitmentId.choose`) });
    }
    return ok({ fields: v.value, groupName });
  }

  async function changeState(staff: CurrentUser, id: number, publish: boolean): Promise<boolean> {
    return db.transaction(async (tx) => {
      const row = await repo.update(id, { publishedAt: publish ? new Date() : null }, tx);
      if (!row) return false;
      const action = publish ? 'said-did.published' : 'said-did.unpublished';
      await audit.record({ actorUserId: staff.id, action, details: { entryId: id } }, tx);
      return true;
    });
  }

  // The entry already written about this meeting or review, for the button on their staff pages.
  async function entryForSource(source: Extract<SaidSource, 'meeting' | 'review'>, sourceId: number, runner: Db | Tx = db) {
    const row = await repo.forSource(source, sourceId, runner);
    if (!row) return null;
    const entry: SourceEntry = {
      id: row.id,
      path: saidDidPath(row.slug),
      editPath: saidDidEditPath(row.id),
      published: row.publishedAt !== null,
    };
    return entry;
  }

  return {
    ...createSaidDidPublic(db, repo, ctx),
    byId: (id: number) => repo.byId(id),
    staffList: () => repo.staffList(),

    // What the staff form offers: groups, commitments and the themes already used.
    async formOptions() {
      const [groups, commitmentList, themes] = await Promise.all([
        ctx.services.groups.forStaff(false),
        commitmentOptions(db),
        repo.themes(),
      ]);
      return { groups: groups.map((g) => ({ id: g.group.id, name: g.group.name })), commitments: commitmentList, themes };
    },

    async create(staff: CurrentUser, form: Record<string, unknown>): Promise<Result<EntryRow>> {
      const c = await check(form);
      if (!c.ok) return c;
      const row = toRow(c.value.fields, c.value.groupName) as NewEntry;
      return ok(await repo.insert({ ...row, slug: await repo.freeSlug(row.title), createdBy: staff.id }));
    },

    // null: no such entry. The slug stays as it was, so links keep working.
    async update(id: number, form: Record<string, unknown>): Promise<Result<EntryRow> | null> {
      if (!(await repo.byId(id))) return null;
      const c = await check(form);
      if (!c.ok) return c;
      return ok((await repo.update(id, toRow(c.value.fields, c.value.groupName)))!);
    },

    publish: (staff: CurrentUser, id: number) => changeState(staff, id, true),
    unpublish: (staff: CurrentUser, id: number) => changeState(staff, id, false),

    async remove(staff: CurrentUser, id: number): Promise<boolean> {
      return db.transaction(async (tx) => {
        if (!(await repo.remove(id, tx))) return false;
        await audit.record({ actorUserId: staff.id, action: 'said-did.deleted', details: { entryId: id } }, tx);
        return true;
      });
    },

    entryForSource,

    // The one action on a meeting's or a review's staff page: see the entry written about it, or
    // start one filled in from it.
    async actionFor(source: Extract<SaidSource, 'meeting' | 'review'>, sourceId: number) {
      const entry = await entryForSource(source, sourceId);
      return entry
        ? { kind: 'see' as const, href: entry.editPath }
        : { kind: 'record' as const, href: `/admin/you-said-we-did/new?from=${source}&id=${sourceId}` };
    },

    // The new entry's form filled in from a published review summary or a meeting's minutes; null
    // when there is nothing published to start from.
    async prefill(from: 'review' | 'meeting', id: number, tr: Translator): Promise<Record<string, unknown> | null> {
      if (from === 'review') {
        const r = await ctx.services.reviewResponses.saidDidDraft(id);
        if (!r) return null;
        const counts = tr.t('saidDidStaff.admin.prefill.reviewCounts', { count: r.commentCount, reviewers: r.reviewerCount });
        return {
          title: r.title,
          youSaid: [counts, r.summaryMarkdown].filter(Boolean).join('\n\n'),
          source: 'review',
          sourceId: String(r.id),
          sourceTitle: r.title,
          sourcePath: r.path,
          groupId: r.groupId === null ? '' : String(r.groupId),
        };
      }
      const m = await ctx.services.meetings.saidDidDraft(id);
      if (!m) return null;
      const [year, month, day] = m.happenedOn.split('-');
      return {
        title: m.title,
        youSaid: m.minutesMarkdown,
        source: 'meeting',
        sourceId: String(m.id),
        sourceTitle: m.title,
        sourcePath: m.path ?? '',
        groupId: m.groupId === null ? '' : String(m.groupId),
        'happenedOn-day': String(Number(day)),
        'happenedOn-month': String(Number(month)),
        'happenedOn-year': year,
      };
    },

    // For the standards' Impact measure: published entries whose change happened in the period.
    async entriesPerGroup(period: Period): Promise<{ groupId: number | null; groupName: string | null; count: number }[]> {
      return repo.perGroup(period);
    },
    async total(period: Period): Promise<number> {
      return (await repo.perGroup(period)).reduce((sum, g) => sum + g.count, 0);
    },
    // Published entries, for evidence links.
    options: () => publishedEntryOptions(db),

    // Published review summaries that no entry records yet (the staff home's count, the public page).
    async summariesWithoutEntry() {
      const [summaries, recorded] = await Promise.all([ctx.services.reviewResponses.publishedSummaries(), repo.sourceIds('review')]);
      return summaries.filter((s) => !recorded.has(s.id));
    },
  };
}
export type SaidDidService = ReturnType<typeof createSaidDidService>;
