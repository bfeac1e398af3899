import { sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { loadConfig } from '#src/config.ts';
import { buildApp } from '#src/app.ts';
import { budgetRow, fmt, infoRow, skippedRow, type Row } from './lib/report.ts';
import { withScratchPostgres } from './lib/scratch-postgres.ts';
import { percentile, seedPeople } from './people-search.ts';

// Issue 11's matching budget: the suggested people for an opportunity over 100,000 generated
// profiles (the people search's register), through the real service staff's page calls (the
// exclusions read, the ranked query in the profile feature, the reasons in words), p95 < 200 ms on
// PostgreSQL; PGlite reported. 2,000 people have opted out of invitations and each opportunity has
// 300 applicants, so the exclusions are not empty.

export const MATCHING_BUDGET_P95_MS = 200;

// Representative opportunities: lived experience sought or not, in person in one region, online,
// both; the broadest (a survey open to everyone interested) has the most matches. Terms are the
// people search's "Term 1" … "Term 30".
const kinds: { label: string; type: string; terms: number[]; region: string | null; mode: string }[] = [
  { label: 'peer review, one term sought, London, both', type: 'peer-review', terms: [7], region: 'London', mode: 'both' },
  { label: 'survey, nothing sought, online', type: 'survey', terms: [], region: null, mode: 'online' },
  { label: 'group, nothing sought, in person in Wales', type: 'lived-experience-group', terms: [], region: 'Wales', mode: 'in-person' },
  { label: 'co-design, three terms sought, online', type: 'co-design', terms: [3, 11, 19], region: null, mode: 'online' },
  { label: 'event, nothing sought, London, both', type: 'event', terms: [], region: 'London', mode: 'both' },
  { label: 'other, in person in Scotland', type: 'other', terms: [], region: 'Scotland', mode: 'in-person' },
];

export type MatchingTiming = { label: string; p50Ms: number; p95Ms: number; matches: number };
export type MatchingRun = { database: 'postgres' | 'pglite'; timings: MatchingTiming[]; allP50Ms: number; allP95Ms: number };
export type MatchingBenchResult = { profiles: number; postgres: MatchingRun | { skipped: string }; pglite: MatchingRun; totalSec: number };

// One opportunity of each kind, 2,000 people opted out of invitations, 300 applicants to each.
export async function seedOpportunities(database: DbHandle) {
  for (const [i, k] of kinds.entries()) {
    await database.db.execute(sql`
      insert into opportunities (slug, type, sought_term_ids, region, mode, status, title, summary, published_at, closes_at)
      select ${`bench-match-${i}`}, ${k.type}, coalesce(jsonb_agg(t.id), '[]'::jsonb), ${k.region}, ${k.mode}, 'open', ${k.label},
             'For the bench', now(), now() + interval '14 days'
      from lived_experience_terms t where t.label in (select 'Term ' || n from jsonb_array_elements_text(${JSON.stringify(k.terms)}::jsonb) n)`);
  }
  const statements = [
    `insert into opportunity_contact_optouts (user_id) select 'bench' || g from generate_series(1, 100000, 50) g`,
    `insert into applications (opportunity_id, user_id, state, submitted_at)
     select o.id, 'bench' || (g * 37 + o.id), 'submitted', now() from opportunities o, generate_series(1, 300) g`,
    'vacuum analyze',
  ];
  for (const s of statements) await database.db.execute(sql.raw(s));
}

async function timeSuggestions(database: DbHandle, rounds: number): Promise<Omit<MatchingRun, 'database'>> {
  // The real services, as a running server builds them; no jobs, no listening socket.
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', LOG_LEVEL: 'silent' }),
    database,
    startJobs: false,
  });
  try {
    const { opportunities, opportunityMatches } = app.services;
    const list = await Promise.all(kinds.map(async (k, i) => ({ label: k.label, row: (await opportunities.bySlug(`bench-match-${i}`))! })));
    // Warm the caches and plans once, as a running server would have.
    for (const o of list) await opportunityMatches.ranked(o.row);
    const samples = list.map(() => [] as number[]);
    const matches = list.map(() => 0);
    for (let r = 0; r < rounds; r++) {
      for (const [i, o] of list.entries()) {
        const t = performance.now();
        const result = await opportunityMatches.ranked(o.row);
        samples[i]!.push(performance.now() - t);
        matches[i] = result.total;
      }
    }
    const all = samples.flat();
    return {
      timings: list.map((o, i) => ({
        label: o.label,
        p50Ms: percentile(samples[i]!, 50),
        p95Ms: percentile(samples[i]!, 95),
        matches: matches[i]!,
      })),
      allP50Ms: percentile(all, 50),
      allP95Ms: percentile(all, 95),
    };
  } finally {
    await app.close();
  }
}

export async function benchMatching(o: { log: (msg: string) => void; profiles?: number; rounds?: number }): Promise<MatchingBenchResult> {
  const began = performance.now();
  const n = o.profiles ?? 100_000;
  const rounds = o.rounds ?? 20;
  const postgres = await withScratchPostgres('matching', async (database) => {
    await seedPeople(database, n);
    await seedOpportunities(database);
    o.log(`matching: ${n.toLocaleString('en-GB')} profiles and ${kinds.length} opportunities seeded into PostgreSQL`);
    return { database: 'postgres' as const, ...(await timeSuggestions(database, rounds)) };
  });
  const lite = await openDatabase({ dataDir: 'memory://' });
  try {
    await runMigrations(lite);
    await seedPeople(lite, n);
    await seedOpportunities(lite);
    o.log(`matching: ${n.toLocaleString('en-GB')} profiles seeded into PGlite`);
    const pglite: MatchingRun = { database: 'pglite', ...(await timeSuggestions(lite, Math.max(5, Math.round(rounds / 2)))) };
    return { profiles: n, postgres, pglite, totalSec: (performance.now() - began) / 1000 };
  } finally {
    await lite.close();
  }
}

export function matchingRows(r: MatchingBenchResult | { skipped: string } | { error: string }): Row[] {
  const title = 'matching suggestions over 100,000 profiles';
  if ('skipped' in r) return [skippedRow(title, r.skipped)];
  if ('error' in r) return [];
  const pgRun = 'timings' in r.postgres ? r.postgres : null;
  const rows: Row[] = r.pglite.timings.map((t, i) => {
    const onPg = pgRun?.timings[i];
    return infoRow(
      `matching: ${t.label} (${t.matches.toLocaleString('en-GB')} fit)`,
      `${onPg ? `PostgreSQL p50 ${fmt(onPg.p50Ms)} / p95 ${fmt(onPg.p95Ms)} ms; ` : ''}PGlite p50 ${fmt(t.p50Ms)} / p95 ${fmt(t.p95Ms)} ms`,
    );
  });
  if (pgRun) rows.push(budgetRow(`${title}, p95 (PostgreSQL)`, pgRun.allP95Ms, 'ms', 'max', MATCHING_BUDGET_P95_MS));
  else rows.push(skippedRow(`${title}: PostgreSQL`, (r.postgres as { skipped: string }).skipped));
  rows.push(infoRow(`${title}: p50 / p95, PGlite`, `${fmt(r.pglite.allP50Ms)} / ${fmt(r.pglite.allP95Ms)} ms`));
  return rows;
}
