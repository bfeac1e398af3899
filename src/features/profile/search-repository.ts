import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { contributorLivedExperience, contributorProfiles, livedExperienceTerms } from './tables.ts';
import { prefixTsquery, searchWords, type PeopleQuery } from './search-schema.ts';

const p = contributorProfiles;

// Above this many matches, walking the sort order's index finds a page quickly; below it, the
// matches are gathered first and sorted (walking an index in order while most rows fail the
// filters is what makes a selective search slow).
const GATHER_FIRST_BELOW = 5000;

const jsonbAny = (column: SQL, values: string[]) =>
  sql`${column} ?| array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

// Every condition for a search, on contributor_profiles alone (listed, sort_name and joined_at are
// copied from the account by a trigger). Values are bound parameters; the text search is built
// from sanitised words (see searchWords), never from what was typed.
export function peopleConditions(q: PeopleQuery, now: Date): { where: SQL; tsquery: string | null } {
  const conditions: SQL[] = [sql`${p.listed}`];
  const tsquery = prefixTsquery(searchWords(q.q));
  if (tsquery) conditions.push(sql`${p.searchVector} @@ to_tsquery('simple', ${tsquery})`);
  // Something was typed, but nothing that can match (only symbols): nobody, not everybody.
  else if (q.q) conditions.push(sql`false`);
  if (q.terms.length) {
    conditions.push(
      sql`exists (select 1 from ${contributorLivedExperience} where ${contributorLivedExperience.userId} = ${p.userId} and ${inArray(contributorLivedExperience.termId, q.terms)})`,
    );
  }
  if (q.interests.length) conditions.push(jsonbAny(sql`${p.interests}`, q.interests));
  if (q.times.length) conditions.push(jsonbAny(sql`${p.availableTimes}`, q.times));
  if (q.ways.length) conditions.push(jsonbAny(sql`${p.availableWays}`, q.ways));
  if (q.region) conditions.push(eq(p.region, q.region));
  if (q.payment.length) conditions.push(inArray(p.paymentPreference, q.payment));
  if (q.source) conditions.push(eq(p.source, q.source));
  const hasNeeds = sql`(${p.accessNeeds} <> '[]'::jsonb or coalesce(${p.accessNeedsNotes}, '') <> '')`;
  if (q.accessNeeds === 'yes') conditions.push(hasNeeds);
  if (q.accessNeeds === 'no') conditions.push(sql`not ${hasNeeds}`);
  const monthsAgo = (months: number) => {
    const d = new Date(now);
    d.setMonth(d.getMonth() - months);
    return d;
  };
  if (q.lastInvolved === 'never') conditions.push(sql`${p.lastInvolvedAt} is null`);
  if (q.lastInvolved === 'within-6-months') conditions.push(sql`${p.lastInvolvedAt} >= ${monthsAgo(6)}`);
  if (q.lastInvolved === 'within-a-year') conditions.push(sql`${p.lastInvolvedAt} >= ${monthsAgo(12)}`);
  if (q.lastInvolved === 'over-a-year') conditions.push(sql`${p.lastInvolvedAt} < ${monthsAgo(12)}`);
  return { where: and(...conditions)!, tsquery };
}

// The sort order as bare column names, to use inside and outside a gathering subquery.
function orderFor(q: PeopleQuery, tsquery: string | null): { keys: SQL; order: SQL } {
  const rank = tsquery ? sql`ts_rank(search_vector, to_tsquery('simple', ${tsquery}))` : sql`0`;
  switch (q.sort ?? (tsquery ? 'relevance' : 'name')) {
    case 'joined':
      return { keys: sql`joined_at`, order: sql`joined_at desc, user_id` };
    case 'last-involved':
      return { keys: sql`last_involved_at, sort_name`, order: sql`last_involved_at desc nulls last, sort_name, user_id` };
    case 'relevance':
      return { keys: sql`${rank} as rank, sort_name`, order: sql`rank desc, sort_name, user_id` };
    default:
      return { keys: sql`sort_name`, order: sql`sort_name, user_id` };
  }
}

// node-postgres returns a result with rows; PGlite's driver may return the rows themselves.

export function createProfileSearch(db: Db) {
  return {
    async count(q: PeopleQuery, now: Date) {
      const { where } = peopleConditions(q, now);
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(p)
        .where(where);
      return row?.n ?? 0;
    },

    async search(q: PeopleQuery, opts: { perPage: number; now?: Date; gatherFirstBelow?: number }) {
      const { where, tsquery } = peopleConditions(q, opts.now ?? new Date());
      const total = await this.count(q, opts.now ?? new Date());
      const offset = (q.page - 1) * opts.perPage;
      if (!total || offset >= total) return { total, items: [] };
      const { keys, order } = orderFor(q, tsquery);
      const table = sql.identifier('contributor_profiles');
      const gather = total < (opts.gatherFirstBelow ?? GATHER_FIRST_BELOW) || q.sort === 'relevance' || (!q.sort && tsquery);
      const page = gather
        ? sql`with matches as materialized (select user_id, ${keys} from ${table} where ${where})
              select user_id from matches order by ${order} limit ${opts.perPage} offset ${offset}`
        : sql`select user_id from ${table} where ${where} order by ${order} limit ${opts.perPage} offset ${offset}`;
      const ids = rowsOf<{ user_id: string }>(await db.execute(page)).map((r) => r.user_id);
      if (!ids.length) return { total, items: [] };
      const rows = await db
        .select({
          id: p.userId,
          name: sql<string>`coalesce(${p.accountName}, '')`,
          preferredName: p.preferredName,
          region: p.region,
          interests: p.interests,
          lastInvolvedAt: p.lastInvolvedAt,
          joinedAt: p.joinedAt,
          source: p.source,
        })
        .from(p)
        .where(inArray(p.userId, ids));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return { total, items: ids.map((id) => byId.get(id)).filter((r) => !!r) };
    },

    // One batch of the export, in name order after the (sort name, id) key of the previous batch.
    async exportBatch(q: PeopleQuery, after: { sortName: string; id: string } | null, limit: number, now: Date) {
      const { where } = peopleConditions(q, now);
      const key = after ? sql`(${p.sortName}, ${p.userId}) > (${after.sortName}, ${after.id})` : undefined;
      return db
        .select({
          profile: p,
          name: sql<string>`coalesce(${p.accountName}, '')`,
          email: sql<string>`coalesce(${p.accountEmail}, '')`,
          joinedAt: p.joinedAt,
        })
        .from(p)
        .where(key ? and(where, key) : where)
        .orderBy(asc(p.sortName), asc(p.userId))
        .limit(limit);
    },

    // Chosen lived experience terms for many people at once (for an export batch).
    async termsFor(userIds: string[]) {
      if (!userIds.length) return new Map<string, { category: string; label: string }[]>();
      const rows = await db
        .select({ userId: contributorLivedExperience.userId, category: livedExperienceTerms.category, label: livedExperienceTerms.label })
        .from(contributorLivedExperience)
        .innerJoin(livedExperienceTerms, eq(livedExperienceTerms.id, contributorLivedExperience.termId))
        .where(inArray(contributorLivedExperience.userId, userIds))
        .orderBy(asc(livedExperienceTerms.category), asc(livedExperienceTerms.label));
      const out = new Map<string, { category: string; label: string }[]>();
      for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), { category: r.category, label: r.label }]);
      return out;
    },
  };
}
export type ProfileSearch = ReturnType<typeof createProfileSearch>;
export type ExportRow = Awaited<ReturnType<ProfileSearch['exportBatch']>>[number];
