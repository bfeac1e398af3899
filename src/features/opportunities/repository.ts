import { and, count, desc, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { takenSlugs } from '#src/db/slugs.ts';
import type { Db, Tx } from '#src/db/client.ts';
import type { ListingFilters } from './schema.ts';
import { applications, opportunities, opportunityQuestions, type opportunityStatuses } from './tables.ts';
import { opportunityById, questionsOf } from './reads.ts';

export type OpportunityRow = typeof opportunities.$inferSelect;
export type NewOpportunityRow = typeof opportunities.$inferInsert;
export type OpportunityStatus = (typeof opportunityStatuses)[number];
export type QuestionRow = typeof opportunityQuestions.$inferSelect;

export const CLOSING_SOON_DAYS = 7;

// Still taking applications: open, and its closing time not yet reached (the job that closes it
// runs every minute; the listing never shows one that has passed meanwhile).
const takingApplications = (now: Date) =>
  and(eq(opportunities.status, 'open'), or(isNull(opportunities.closesAt), gt(opportunities.closesAt, now)));

function listingWhere(f: ListingFilters, now: Date): SQL | undefined {
  return and(
    takingApplications(now),
    f.type ? eq(opportunities.type, f.type) : undefined,
    f.where === 'online' ? inArray(opportunities.mode, ['online', 'both']) : undefined,
    f.where === 'in-person' ? inArray(opportunities.mode, ['in-person', 'both']) : undefined,
    // "Anywhere" opportunities (no region) suit every region.
    f.region ? or(eq(opportunities.region, f.region), isNull(opportunities.region)) : undefined,
    f.pay ? eq(opportunities.paid, f.pay === 'paid') : undefined,
    f.lived ? sql`jsonb_array_length(${opportunities.soughtTermIds}) > 0` : undefined,
    f.closingSoon ? lte(opportunities.closesAt, new Date(now.getTime() + CLOSING_SOON_DAYS * 24 * 3600_000)) : undefined,
  );
}

export function createOpportunitiesRepository(db: Db) {
  return {
    async insert(values: NewOpportunityRow, runner: Db | Tx = db) {
      const [row] = await runner.insert(opportunities).values(values).returning();
      return row!;
    },

    async update(id: number, values: Partial<NewOpportunityRow>, runner: Db | Tx = db) {
      const [row] = await runner
        .update(opportunities)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(opportunities.id, id))
        .returning();
      return row ?? null;
    },

    // Moves an opportunity on only from the states it may leave, so two clicks change it once.
    async transition(id: number, from: readonly OpportunityStatus[], values: Partial<NewOpportunityRow>, runner: Db | Tx = db) {
      const [row] = await runner
        .update(opportunities)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(opportunities.id, id), inArray(opportunities.status, [...from])))
        .returning();
      return row ?? null;
    },

    byId: (id: number, runner: Db | Tx = db) => opportunityById(runner, id),

    async bySlug(slug: string) {
      const [row] = await db.select().from(opportunities).where(eq(opportunities.slug, slug));
      return row ?? null;
    },

    slugsLike: (base: string) => takenSlugs(db, opportunities, opportunities.slug, base),

    withStatus: (status: OpportunityStatus) =>
      db
        .select()
        .from(opportunities)
        .where(eq(opportunities.status, status))
        .orderBy(desc(opportunities.updatedAt), desc(opportunities.id)),

    async counts(): Promise<Partial<Record<OpportunityStatus, number>>> {
      const rows = await db.select({ status: opportunities.status, n: count() }).from(opportunities).groupBy(opportunities.status);
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    // Submitted applications per opportunity, for the staff list.
    async applicationCounts(ids: number[]): Promise<Map<number, number>> {
      if (!ids.length) return new Map();
      const rows = await db
        .select({ id: applications.opportunityId, n: count() })
        .from(applications)
        .where(and(inArray(applications.opportunityId, ids), eq(applications.state, 'submitted')))
        .groupBy(applications.opportunityId);
      return new Map(rows.map((r) => [r.id, Number(r.n)]));
    },

    // The public listing: closing soonest first, a page at a time.
    async listing(filters: ListingFilters, page: number, perPage: number, now: Date) {
      const where = listingWhere(filters, now);
      const [items, [total]] = await Promise.all([
        db
          .select()
          .from(opportunities)
          .where(where)
          .orderBy(opportunities.closesAt, desc(opportunities.id))
          .limit(perPage)
          .offset((page - 1) * perPage),
        db.select({ n: count() }).from(opportunities).where(where),
      ]);
      return { items, total: Number(total?.n ?? 0) };
    },

    // Newest first, for the home page and the feed.
    latestOpen: (limit: number, now: Date) =>
      db.select().from(opportunities).where(takingApplications(now)).orderBy(desc(opportunities.publishedAt)).limit(limit),

    // Open opportunities whose closing time has passed; each closed once, by whoever gets there first.
    async closeDue(now: Date) {
      return db
        .update(opportunities)
        .set({ status: 'closed', closedAt: now, updatedAt: now })
        .where(and(eq(opportunities.status, 'open'), lte(opportunities.closesAt, now)))
        .returning({ id: opportunities.id, slug: opportunities.slug });
    },

    // People with an application still in play (a draft or submitted), to tell of a new closing date.
    applicantsOf: (opportunityId: number, runner: Db | Tx = db) =>
      runner
        .select({ userId: applications.userId, language: applications.language, state: applications.state })
        .from(applications)
        .where(and(eq(applications.opportunityId, opportunityId), inArray(applications.state, ['draft', 'submitted']))),

    questions: (opportunityId: number) => questionsOf(db, opportunityId),
  };
}

export type OpportunitiesRepository = ReturnType<typeof createOpportunitiesRepository>;
