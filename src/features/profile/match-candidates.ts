import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';

// What matching knows of a person: the (not archived) lived experience terms they chose, their
// region, interests and the ways they can take part.
export type MatchFacts = { termIds: number[]; region: string | null; interests: string[]; availableWays: string[] };

// What an opportunity asks of the people suggested for it (the opportunities feature's matching
// rules, reasonsToMatch, said in SQL): lived experience terms sought (at least one held, when any
// is sought), the profile interest its type answers, its region and whether it can be done online.
export type CandidateQuery = {
  termIds: number[];
  interest: string | null;
  region: string | null;
  mode: 'online' | 'in-person' | 'both';
  // People never to suggest (opted out, applied, already invited), and, when given, the only people
  // to consider (to check a choice staff sent back is still a suggestion).
  excludeUserIds: string[];
  onlyUserIds?: string[];
  limit: number;
};

export type Candidate = MatchFacts & {
  userId: string;
  name: string;
  score: number;
  lastInvolvedAt: Date | null;
  language: string | null;
};

// The same weights as the opportunities feature's `strength` (lived experience 4, interest 2,
// region 1), so the ranking here and the reasons shown agree.
const WEIGHT = { livedExperience: 4, interest: 2, region: 1 } as const;

// One id list as one bound parameter (a JSON array), however long: no statement with thousands
// of placeholders.
const idIn = (column: SQL, ids: string[]) => sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

// Listed contributor accounts (contributor_profiles.listed, kept by the profile-copy triggers) who
// fit an opportunity, best first; among equals, those not involved for longest (or never) first.
// One pass over contributor_profiles (only the holders of a sought term, when any is sought); the
// count comes from the same pass.
export function createMatchCandidates(db: Db) {
  return async function matchCandidates(q: CandidateQuery): Promise<{ total: number; items: Candidate[] }> {
    const wantsTerms = q.termIds.length > 0;
    // The holders of a sought term, from the terms' index, as an array the profiles' primary key is
    // probed with: a few thousand lookups rather than a scan of every profile (which the planner
    // picks for a join, as it cannot know how few hold the term).
    const termList = sql.join(
      q.termIds.map((id) => sql`${id}`),
      sql`, `,
    );
    const holdsTerm = sql`p.user_id = any(array(select le.user_id from contributor_lived_experience le where le.term_id in (${termList})))`;
    const hasInterest = q.interest ? sql`p.interests ? ${q.interest}` : sql`false`;
    const inRegion = q.region ? sql`p.region = ${q.region}` : sql`false`;
    const conditions: SQL[] = [sql`p.listed`];
    if (wantsTerms) conditions.push(holdsTerm);
    // Someone outside the region can take part only when it can be done online.
    if (q.region && q.mode === 'in-person') conditions.push(inRegion);
    // "It is online" alone is no reason: lived experience, the interest or the region must be.
    if (!wantsTerms) conditions.push(sql`(${hasInterest} or ${inRegion})`);
    if (q.excludeUserIds.length) conditions.push(sql`not ${idIn(sql`p.user_id`, q.excludeUserIds)}`);
    if (q.onlyUserIds) conditions.push(q.onlyUserIds.length ? idIn(sql`p.user_id`, q.onlyUserIds) : sql`false`);
    const score = sql`(${wantsTerms ? WEIGHT.livedExperience : 0}
      + case when ${hasInterest} then ${WEIGHT.interest} else 0 end
      + case when ${inRegion} then ${WEIGHT.region} else 0 end)`;
    const rows = rowsOf<{
      user_id: string;
      name: string | null;
      score: number;
      total: number;
      last_involved_at: Date | string | null;
      region: string | null;
      interests: string[];
      available_ways: string[];
      language: string | null;
    }>(
      await db.execute(sql`
        with ranked as (
          select p.user_id, ${score}::int as score, count(*) over ()::int as total, p.last_involved_at
          from contributor_profiles p
          where ${sql.join(conditions, sql` and `)}
          order by score desc, p.last_involved_at asc nulls first, p.user_id
          limit ${q.limit}
        )
        select r.user_id, r.score, r.total, r.last_involved_at, coalesce(p.preferred_name, p.account_name) as name,
               p.region, p.interests, p.available_ways, p.language
        from ranked r join contributor_profiles p on p.user_id = r.user_id
        order by r.score desc, r.last_involved_at asc nulls first, r.user_id`),
    );
    const heldTerms = await termsHeld(
      db,
      rows.map((r) => r.user_id),
    );
    return {
      total: rows[0]?.total ?? (q.limit > 0 ? 0 : await countOnly(db, conditions)),
      items: rows.map((r) => ({
        userId: r.user_id,
        name: r.name ?? '',
        score: r.score,
        lastInvolvedAt: r.last_involved_at ? new Date(r.last_involved_at) : null,
        termIds: heldTerms.get(r.user_id) ?? [],
        region: r.region,
        interests: r.interests ?? [],
        availableWays: r.available_ways ?? [],
        language: r.language,
      })),
    };
  };
}

async function countOnly(db: Db, conditions: SQL[]) {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from contributor_profiles p where ${sql.join(conditions, sql` and `)}`),
  );
  return row?.n ?? 0;
}

// The (not archived) terms each of a page of people holds, for the reasons shown beside them.
async function termsHeld(db: Db, userIds: string[]) {
  const out = new Map<string, number[]>();
  if (!userIds.length) return out;
  const rows = rowsOf<{ user_id: string; term_id: number }>(
    await db.execute(sql`
      select le.user_id, le.term_id from contributor_lived_experience le
      join lived_experience_terms t on t.id = le.term_id and t.archived_at is null
      where ${idIn(sql`le.user_id`, userIds)}`),
  );
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.term_id]);
  return out;
}

// What matching needs to know about many people at once (a batch of the daily alerts): their
// facts and the language they chose, in two queries.
export async function matchFactsOf(db: Db, userIds: string[]): Promise<Map<string, MatchFacts & { language: string | null }>> {
  const out = new Map<string, MatchFacts & { language: string | null }>();
  if (!userIds.length) return out;
  const [rows, terms] = await Promise.all([
    db.execute(sql`
      select p.user_id, p.region, p.interests, p.available_ways, p.language
      from contributor_profiles p where ${idIn(sql`p.user_id`, userIds)}`),
    termsHeld(db, userIds),
  ]);
  for (const r of rowsOf<{
    user_id: string;
    region: string | null;
    interests: string[];
    available_ways: string[];
    language: string | null;
  }>(rows)) {
    out.set(r.user_id, {
      termIds: terms.get(r.user_id) ?? [],
      region: r.region,
      interests: r.interests ?? [],
      availableWays: r.available_ways ?? [],
      language: r.language,
    });
  }
  return out;
}
