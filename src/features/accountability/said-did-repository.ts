import { and, asc, count, desc, eq, gte, isNotNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { freeSlug } from '#src/db/slugs.ts';
import type { ListFilters } from './said-did-schema.ts';
import { saidDidEntries, type SaidSource } from './tables.ts';

export type EntryRow = typeof saidDidEntries.$inferSelect;
export type NewEntry = typeof saidDidEntries.$inferInsert;
export type Period = { from: Date | string; to: Date | string };

const e = saidDidEntries;
const asDay = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

function publicWhere(f: ListFilters): SQL | undefined {
  return and(
    isNotNull(e.publishedAt),
    f.group === null ? undefined : eq(e.groupId, f.group),
    f.theme === null ? undefined : sql`lower(${e.theme}) = lower(${f.theme})`,
    f.year === null ? undefined : and(gte(e.happenedOn, `${f.year}-01-01`), lt(e.happenedOn, `${f.year + 1}-01-01`)),
  );
}

// The "you said, we did" entries' queries.
export function createSaidDidRepository(db: Db) {
  return {
    byId: async (id: number) => (await db.select().from(e).where(eq(e.id, id)))[0] ?? null,
    bySlug: async (slug: string) => (await db.select().from(e).where(eq(e.slug, slug)))[0] ?? null,
    staffList: () => db.select().from(e).orderBy(desc(e.happenedOn), desc(e.id)),

    async insert(values: NewEntry, runner: Db | Tx = db): Promise<EntryRow> {
      const [row] = await runner.insert(e).values(values).returning();
      return row!;
    },
    async update(id: number, values: Partial<NewEntry>, runner: Db | Tx = db) {
      const [row] = await runner
        .update(e)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(e.id, id))
        .returning();
      return row ?? null;
    },
    async remove(id: number, runner: Db | Tx = db) {
      return (await runner.delete(e).where(eq(e.id, id)).returning({ id: e.id })).length > 0;
    },

    // A slug no other entry has: the title's, then -2, -3 …
    freeSlug: (title: string, runner: Db | Tx = db) => freeSlug(runner, e, e.slug, title, 'entry'),

    // The entry already written about a meeting or a review, if any.
    async forSource(source: SaidSource, sourceId: number, runner: Db | Tx = db) {
      const [row] = await runner
        .select({ id: e.id, slug: e.slug, publishedAt: e.publishedAt })
        .from(e)
        .where(and(eq(e.source, source), eq(e.sourceId, sourceId)))
        .orderBy(asc(e.id))
        .limit(1);
      return row ?? null;
    },
    async sourceIds(source: SaidSource): Promise<Set<number>> {
      const rows = await db
        .select({ id: e.sourceId })
        .from(e)
        .where(and(eq(e.source, source), isNotNull(e.sourceId)));
      return new Set(rows.map((r) => r.id!));
    },

    async publicPage(f: ListFilters, limit: number, offset: number) {
      const where = publicWhere(f);
      const [rows, [total]] = await Promise.all([
        db.select().from(e).where(where).orderBy(desc(e.happenedOn), desc(e.id)).limit(limit).offset(offset),
        db.select({ n: count() }).from(e).where(where),
      ]);
      return { rows, total: total?.n ?? 0 };
    },

    // What the public filters offer: groups, themes and years that published entries have.
    async publicFacets() {
      const published = isNotNull(e.publishedAt);
      const [groups, themes, years] = await Promise.all([
        db
          .selectDistinct({ id: e.groupId, name: e.groupName })
          .from(e)
          .where(and(published, isNotNull(e.groupId)))
          .orderBy(asc(e.groupName)),
        db
          .selectDistinct({ theme: e.theme })
          .from(e)
          .where(and(published, isNotNull(e.theme)))
          .orderBy(asc(e.theme)),
        db
          .selectDistinct({ year: sql<number>`cast(extract(year from ${e.happenedOn}) as integer)` })
          .from(e)
          .where(published),
      ]);
      return {
        groups: groups.filter((g) => g.id !== null).map((g) => ({ id: g.id!, name: g.name ?? '' })),
        // The filter matches any case, so "Waiting rooms" and "waiting rooms" are one choice.
        themes: [...new Map(themes.map((t) => [t.theme!.toLowerCase(), t.theme!])).values()],
        years: years.map((y) => Number(y.year)).sort((a, b) => b - a),
      };
    },

    // Every theme used so far, drafts too (the staff form's suggestions).
    async themes(): Promise<string[]> {
      const rows = await db.selectDistinct({ theme: e.theme }).from(e).where(isNotNull(e.theme)).orderBy(asc(e.theme));
      return rows.map((r) => r.theme!);
    },

    // Other published entries of the same group, newest first.
    sameGroup: (groupId: number, exceptId: number, limit: number) =>
      db
        .select({ title: e.title, slug: e.slug, happenedOn: e.happenedOn, translations: e.translations })
        .from(e)
        .where(and(isNotNull(e.publishedAt), eq(e.groupId, groupId), ne(e.id, exceptId)))
        .orderBy(desc(e.happenedOn), desc(e.id))
        .limit(limit),

    // Published entries whose change happened in the period (both days included), per group.
    async perGroup(period: Period) {
      return db
        .select({ groupId: e.groupId, groupName: sql<string | null>`max(${e.groupName})`, count: count() })
        .from(e)
        .where(and(isNotNull(e.publishedAt), gte(e.happenedOn, asDay(period.from)), sql`${e.happenedOn} <= ${asDay(period.to)}`))
        .groupBy(e.groupId)
        .orderBy(desc(count()));
    },
  };
}
export type SaidDidRepository = ReturnType<typeof createSaidDidRepository>;
