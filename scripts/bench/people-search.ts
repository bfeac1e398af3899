import { sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { loadConfig } from '#src/config.ts';
import { buildApp } from '#src/app.ts';
import { parsePeopleQuery } from '#src/features/profile/search-schema.ts';
import { budgetRow, fmt, infoRow, skippedRow, type Row } from './lib/report.ts';
import { withScratchPostgres } from './lib/scratch-postgres.ts';

// The contributor search budget: 100,000 generated profiles, a representative mix of staff
// searches and filters through the real register service (the same calls /admin/people makes:
// a count and one page of 50), p50/p95 of each on PostgreSQL (scratch database) and on PGlite.

export const PEOPLE_BUDGET_P95_MS = 100;

// What staff typically do: browse, look someone up by name, search their words, filter.
const queries: { label: string; query: Record<string, string | string[]> }[] = [
  { label: 'everyone, by name, page 1', query: {} },
  { label: 'name prefix "ali"', query: { q: 'ali' } },
  { label: 'full name "alice patel"', query: { q: 'alice patel' } },
  { label: 'free-text word "diabetes"', query: { q: 'diabetes' } },
  { label: 'short prefix "ma"', query: { q: 'ma' } },
  { label: 'region + interest', query: { region: 'London', interests: 'reviewing' } },
  { label: 'lived experience term', query: { terms: '7' } },
  { label: 'access needs + payment', query: { accessNeeds: 'yes', payment: 'fee' } },
  { label: 'involved in 6 months, by last involved', query: { lastInvolved: 'within-6-months', sort: 'last-involved' } },
  { label: 'name + region + times + ways', query: { q: 'smi', region: 'Wales', times: 'weekend', ways: 'online' } },
  { label: 'recently joined, page 20', query: { sort: 'joined', page: '20' } },
  { label: 'online, not involved for a year, imported', query: { ways: 'online', lastInvolved: 'over-a-year', source: 'imported' } },
];

export type PeopleTiming = { label: string; p50Ms: number; p95Ms: number; matches: number };
export type PeopleRun = { database: 'postgres' | 'pglite'; seedSec: number; timings: PeopleTiming[]; allP95Ms: number; allP50Ms: number };
export type PeopleBenchResult = { profiles: number; postgres: PeopleRun | { skipped: string }; pglite: PeopleRun; totalSec: number };

const FIRST = [
  'Alice',
  'Amir',
  'Bea',
  'Ben',
  'Chloe',
  'Dev',
  'Ella',
  'Femi',
  'Grace',
  'Hamza',
  'Isla',
  'Jack',
  'Kiran',
  'Leah',
  'Mary',
  'Mark',
  'Nadia',
  'Omar',
  'Priya',
  'Rhys',
  'Sara',
  'Tom',
  'Uma',
  'Wei',
  'Yusuf',
  'Zara',
];
const LAST = [
  'Patel',
  'Smith',
  'Jones',
  'Williams',
  'Brown',
  'Taylor',
  'Davies',
  'Evans',
  'Wilson',
  'Khan',
  'Ali',
  'Thomas',
  'Roberts',
  'Walker',
  'Wright',
  'Hughes',
  'Green',
  'Hall',
  'Wood',
  'Clarke',
  'Nowak',
  'Okafor',
  'Mahmood',
  'Murphy',
  'Kelly',
  'Chen',
];
const CONDITIONS = [
  'diabetes',
  'asthma',
  'arthritis',
  'depression',
  'anxiety',
  'epilepsy',
  'cancer',
  'stroke',
  'dementia',
  'COPD',
  'psoriasis',
  'autism',
  'ADHD',
  'sickle cell',
  'kidney disease',
];
const REGIONS = [
  'North East England',
  'North West England',
  'Yorkshire and the Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East England',
  'South West England',
  'Wales',
  'Scotland',
  'Northern Ireland',
];
const arr = (xs: string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

// Set-based: every row comes from generate_series in a few statements, with the search vector
// filled by the real trigger on insert.
const seedSql = (n: number) => [
  `insert into lived_experience_terms (category, label)
   select (array['condition','service','caring'])[1 + (g % 3)], 'Term ' || g from generate_series(1, 30) g`,
  `insert into "user" (id, name, email, email_verified, role, created_at, updated_at)
   select 'bench' || g,
          (${arr(FIRST)})[1 + (g % ${FIRST.length})] || ' ' || (${arr(LAST)})[1 + ((g / ${FIRST.length}) % ${LAST.length})] || case when g % 7 = 0 then '-' || (${arr(LAST)})[1 + (g % ${LAST.length})] else '' end,
          'person' || g || '@bench.example', true, 'contributor', now() - ((g % 2000) || ' days')::interval, now()
   from generate_series(1, ${n}) g`,
  `insert into contributor_profiles (user_id, preferred_name, region, interests, available_times, available_ways, access_needs, access_needs_notes,
     payment_preference, lived_experience_notes, interpreter_language, last_involved_at, source, completed_steps)
   select 'bench' || g,
          case when g % 5 = 0 then (${arr(FIRST)})[1 + ((g / 3) % ${FIRST.length})] end,
          (${arr(REGIONS)})[1 + (g % ${REGIONS.length})],
          (array['["reviewing"]','["groups","events"]','["surveys"]','["co-design","reviewing"]','["events"]','["groups","surveys","co-design"]'])[1 + (g % 6)]::jsonb,
          (array['["weekday-daytime"]','["weekday-evening","weekend"]','["weekend"]','[]'])[1 + (g % 4)]::jsonb,
          (array['["online"]','["in-person"]','["online","phone"]','["online","in-person"]','[]'])[1 + (g % 5)]::jsonb,
          case when g % 3 = 0 then '["step-free","breaks"]'::jsonb else '[]'::jsonb end,
          case when g % 11 = 0 then 'Papers in large print and a quiet room please' end,
          (array['fee','no-fee','vouchers',null])[1 + (g % 4)],
          'I have lived with ' || (${arr(CONDITIONS)})[1 + (g % ${CONDITIONS.length})] || ' for ' || (g % 30) || ' years and I care for my ' ||
            (array['mother','father','son','daughter','partner','neighbour'])[1 + (g % 6)] || '. I use ' || (array['hospital','GP','mental health','community','social care'])[1 + (g % 5)] || ' services.',
          case when g % 13 = 0 then (array['Polish','Urdu','Punjabi','Arabic','Romanian'])[1 + (g % 5)] end,
          case when g % 4 = 0 then null else now() - ((g % 1000) || ' days')::interval end,
          case when g % 3 = 0 then 'imported' else 'joined' end,
          '{}'::jsonb
   from generate_series(1, ${n}) g`,
  `insert into contributor_lived_experience (user_id, term_id)
   select 'bench' || g, t.id from generate_series(1, ${n}) g join lived_experience_terms t on t.label = 'Term ' || (1 + (g % 30))
   union all
   select 'bench' || g, t.id from generate_series(1, ${n}) g join lived_experience_terms t on t.label = 'Term ' || (1 + ((g * 7 + 3) % 30)) where g % 2 = 0 and (g % 30) <> ((g * 7 + 3) % 30)`,
  // As autovacuum would soon after a bulk load: statistics, and the visibility map that lets a
  // count read an index alone.
  'vacuum analyze',
];

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function timeSearches(database: DbHandle, rounds: number): Promise<Omit<PeopleRun, 'database' | 'seedSec'>> {
  // The real services, as a running server builds them; no jobs, no listening socket.
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', LOG_LEVEL: 'silent' }),
    database,
    startJobs: false,
  });
  const { people } = app.services;
  try {
    return await timeWith(people, rounds);
  } finally {
    await app.close();
  }
}

async function timeWith(people: { search: (q: ReturnType<typeof parsePeopleQuery>) => Promise<{ total: number }> }, rounds: number) {
  const parsed = queries.map((q) => ({ ...q, parsed: parsePeopleQuery(q.query) }));
  // Warm the caches and plans once, as a running server would have.
  for (const q of parsed) await people.search(q.parsed);
  const samples = new Map<string, number[]>(parsed.map((q) => [q.label, []]));
  const matches = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (const q of parsed) {
      const t = performance.now();
      const found = await people.search(q.parsed);
      samples.get(q.label)!.push(performance.now() - t);
      matches.set(q.label, found.total);
    }
  }
  const all = [...samples.values()].flat();
  return {
    timings: parsed.map((q) => ({
      label: q.label,
      p50Ms: percentile(samples.get(q.label)!, 50),
      p95Ms: percentile(samples.get(q.label)!, 95),
      matches: matches.get(q.label)!,
    })),
    allP50Ms: percentile(all, 50),
    allP95Ms: percentile(all, 95),
  };
}

// Also the matching bench's register (matching.ts).
export async function seedPeople(database: DbHandle, n: number) {
  const t = performance.now();
  for (const statement of seedSql(n)) await database.db.execute(sql.raw(statement));
  return (performance.now() - t) / 1000;
}

export async function benchPeopleSearch(o: { log: (msg: string) => void; profiles?: number; rounds?: number }): Promise<PeopleBenchResult> {
  const began = performance.now();
  const n = o.profiles ?? 100_000;
  const rounds = o.rounds ?? 20;
  const postgres = await onPostgres(n, rounds, o.log);

  const lite = await openDatabase({ dataDir: 'memory://' });
  try {
    await runMigrations(lite);
    const seedSec = await seedPeople(lite, n);
    o.log(`people: ${n.toLocaleString('en-GB')} profiles seeded into PGlite in ${seedSec.toFixed(1)} s`);
    const pglite: PeopleRun = { database: 'pglite', seedSec, ...(await timeSearches(lite, Math.max(5, Math.round(rounds / 2)))) };
    return { profiles: n, postgres, pglite, totalSec: (performance.now() - began) / 1000 };
  } finally {
    await lite.close();
  }
}

async function onPostgres(n: number, rounds: number, log: (msg: string) => void): Promise<PeopleRun | { skipped: string }> {
  return withScratchPostgres('people', async (database) => {
    const seedSec = await seedPeople(database, n);
    log(`people: ${n.toLocaleString('en-GB')} profiles seeded into PostgreSQL in ${seedSec.toFixed(1)} s`);
    return { database: 'postgres' as const, seedSec, ...(await timeSearches(database, rounds)) };
  });
}

export function peopleRows(r: PeopleBenchResult | { skipped: string } | { error: string }): Row[] {
  const title = 'contributor search, 100,000 profiles';
  if ('skipped' in r) return [skippedRow(title, r.skipped)];
  if ('error' in r) return [];
  const pgRun = 'timings' in r.postgres ? r.postgres : null;
  const rows: Row[] = [];
  for (const [i, t] of r.pglite.timings.entries()) {
    const onPg = pgRun?.timings[i];
    rows.push(
      infoRow(
        `people: ${t.label} (${t.matches.toLocaleString('en-GB')} match)`,
        `${onPg ? `PostgreSQL p50 ${fmt(onPg.p50Ms)} / p95 ${fmt(onPg.p95Ms)} ms; ` : ''}PGlite p50 ${fmt(t.p50Ms)} / p95 ${fmt(t.p95Ms)} ms`,
      ),
    );
  }
  if (pgRun) {
    rows.push(budgetRow(`${title}: p95, PostgreSQL (every query)`, pgRun.allP95Ms, 'ms', 'max', PEOPLE_BUDGET_P95_MS));
    const slowest = pgRun.timings.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
    rows.push(budgetRow(`${title}: slowest query's p95, PostgreSQL`, slowest.p95Ms, 'ms', 'max', PEOPLE_BUDGET_P95_MS));
  } else rows.push(skippedRow(`${title}: PostgreSQL`, (r.postgres as { skipped: string }).skipped));
  rows.push(infoRow(`${title}: p50 / p95, PGlite (every query)`, `${fmt(r.pglite.allP50Ms)} / ${fmt(r.pglite.allP95Ms)} ms`));
  rows.push(
    infoRow(
      'people: seeding 100,000 profiles (PostgreSQL / PGlite)',
      `${pgRun ? `${fmt(pgRun.seedSec)} s` : '–'} / ${fmt(r.pglite.seedSec)} s`,
    ),
  );
  return rows;
}
