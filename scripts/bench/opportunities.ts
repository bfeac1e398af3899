import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { appServerArgs, freePort, removeTempDir, spawnNode, trackTempDir, waitFor200 } from './lib/children.ts';
import { cpuOf } from './lib/machine.ts';
import { budgetRow, fmt, infoRow, skippedRow, type Row } from './lib/report.ts';
import { withScratchPostgres } from './lib/scratch-postgres.ts';
import { BENCH_STAFF, seedOpportunities } from './opportunities-fixtures.ts';
import { serverEnv } from './story-page.ts';

// Issue 11's page budgets: the public listing of 1,000 opportunities with its filters, and the staff
// applications page of one opportunity with 2,000 applications with its filters. A real server
// (`node src/server.js`, production mode) on a scratch PostgreSQL database and on a PGlite data dir;
// each address is requested one at a time over loopback (a warm-up, then `rounds`), as a person
// would load it, and the p95 of every request on PostgreSQL is the budget figure.

export const OPPORTUNITIES_BUDGET_P95_MS = 100;

const listing: { label: string; path: string }[] = [
  { label: 'all, page 1', path: '/opportunities' },
  { label: 'all, page 5', path: '/opportunities?page=5' },
  { label: 'all, page 80', path: '/opportunities?page=80' },
  { label: 'type', path: '/opportunities?type=peer-review' },
  { label: 'online', path: '/opportunities?where=online' },
  { label: 'region (or anywhere)', path: '/opportunities?region=London' },
  { label: 'unpaid', path: '/opportunities?pay=unpaid' },
  { label: 'lived experience sought', path: '/opportunities?lived=yes' },
  { label: 'closing soon', path: '/opportunities?closingSoon=yes' },
  { label: 'type + in person + region', path: '/opportunities?type=lived-experience-group&where=in-person&region=Wales' },
  { label: 'paid + lived + closing soon, page 2', path: '/opportunities?pay=paid&lived=yes&closingSoon=yes&page=2' },
  { label: 'online + paid, page 3', path: '/opportunities?where=online&pay=paid&page=3' },
];

const applicationsPages = (id: number): { label: string; path: string }[] =>
  [
    { label: 'all, page 1', q: '' },
    { label: 'all, page 20', q: '?page=20' },
    { label: 'all, last page', q: '?page=40' },
    { label: 'shortlisted', q: '?selection=shortlisted' },
    { label: 'new, page 5', q: '?selection=new&page=5' },
    { label: 'withdrawn', q: '?show=withdrawn' },
    { label: 'not yet told', q: '?show=untold' },
    { label: 'not selected + not yet told', q: '?selection=not-selected&show=untold' },
  ].map((p) => ({ label: p.label, path: `/admin/opportunities/${id}/applications${p.q}` }));

export type PageTiming = { label: string; p50Ms: number; p95Ms: number };
export type PagesRun = {
  seedSec: number;
  listing: PageTiming[];
  applications: PageTiming[];
  listingP95Ms: number;
  applicationsP95Ms: number;
  cpuMsPerRequest: { listing: number; applications: number };
};
export type OpportunitiesBenchResult = {
  postgres: PagesRun | { skipped: string };
  pglite: PagesRun | { skipped: string };
  totalSec: number;
};
type Options = { root: string; log: (msg: string) => void; opportunities?: number; applicants?: number; rounds?: number };

export async function benchOpportunities(o: Options): Promise<OpportunitiesBenchResult> {
  const began = performance.now();
  const rounds = o.rounds ?? 20;
  const postgres = await withScratchPostgres('opportunities', async (database) => {
    const { seedSec, bigId } = await seed(o, database, 'PostgreSQL');
    return { seedSec, ...(await timePages(o, { DATABASE_URL: database.url! }, bigId, rounds)) };
  });
  const tmp = trackTempDir(mkdtempSync(join(tmpdir(), 'coproduce-bench-opportunities-')));
  try {
    const dataDir = join(tmp, 'data');
    const lite = await openDatabase({ dataDir });
    let seeded: { seedSec: number; bigId: number };
    try {
      await runMigrations(lite);
      seeded = await seed(o, lite, 'PGlite');
    } finally {
      await lite.close();
    }
    const { seedSec, bigId } = seeded;
    // PGlite's part failing keeps PostgreSQL's figures.
    const pglite = await timePages(o, { DATA_DIR: dataDir }, bigId, Math.max(5, Math.round(rounds / 2)))
      .then((t) => ({ seedSec, ...t }))
      .catch((err: unknown) => ({ skipped: `could not run: ${String((err as Error).message).split('\n')[0]}` }));
    return { postgres, pglite, totalSec: (performance.now() - began) / 1000 };
  } finally {
    removeTempDir(tmp);
  }
}

async function seed(o: Options, database: DbHandle, name: string) {
  const counts = { opportunities: o.opportunities ?? 1000, applicants: o.applicants ?? 2000 };
  const { seconds, bigId } = await seedOpportunities(database, counts);
  o.log(
    `opportunities: ${counts.opportunities} opportunities and ${counts.applicants} applications to one seeded into ${name} in ${seconds.toFixed(1)} s`,
  );
  return { seedSec: seconds, bigId };
}

async function timePages(o: Options, dbEnv: Record<string, string>, bigId: number, rounds: number) {
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const server = spawnNode(appServerArgs(), serverEnv({ PORT: String(port), BASE_URL: appUrl, ...dbEnv }), o.root);
  try {
    await waitFor200(`${appUrl}/opportunities`, server, 60_000);
    const cookie = await signIn(appUrl);
    const staffPages = applicationsPages(bigId);
    const listed = await timeEach(appUrl, server.pid, listing, {}, rounds);
    const staff = await timeEach(appUrl, server.pid, staffPages, { cookie }, rounds);
    return {
      listing: listed.timings,
      applications: staff.timings,
      listingP95Ms: listed.allP95Ms,
      applicationsP95Ms: staff.allP95Ms,
      cpuMsPerRequest: { listing: listed.cpuMsPerRequest, applications: staff.cpuMsPerRequest },
    };
  } finally {
    await server.stop();
  }
}

// As a member of staff does: the sign-in page for its cookies and token, then email and password.
async function signIn(appUrl: string): Promise<string> {
  const page = await fetch(`${appUrl}/sign-in`);
  const jar = new Map(page.headers.getSetCookie().map((c) => c.split(';')[0]!.split(/=(.*)/s).slice(0, 2) as [string, string]));
  const body = new URLSearchParams({ ...hiddenFields(await page.text()), email: BENCH_STAFF.email, password: BENCH_STAFF.password });
  const res = await fetch(`${appUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar), origin: appUrl },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 303) throw new Error(`staff sign-in answered ${res.status}`);
  for (const c of res.headers.getSetCookie()) {
    const [name, value] = c.split(';')[0]!.split(/=(.*)/s) as [string, string];
    if (value) jar.set(name, value);
    else jar.delete(name);
  }
  return cookieHeader(jar);
}
// The hidden inputs of the page's sign-in form (its CSRF token).
function hiddenFields(html: string): Record<string, string> {
  const form = /<form[^>]*action="\/sign-in"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const out: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (name)
      out[name] = (/value="([^"]*)"/.exec(tag)?.[1] ?? '')
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
  }
  return out;
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

// One request at a time, the whole response read; any answer but 200 stops the part.
async function timeEach(
  appUrl: string,
  serverPid: number,
  pages: { label: string; path: string }[],
  headers: Record<string, string>,
  rounds: number,
) {
  const get = async (path: string) => {
    const t = performance.now();
    const res = await fetch(`${appUrl}${path}`, { headers, redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    return performance.now() - t;
  };
  for (const p of pages) await get(p.path);
  const samples = new Map<string, number[]>(pages.map((p) => [p.label, []]));
  const cpuBefore = cpuOf([serverPid]);
  for (let r = 0; r < rounds; r++) for (const p of pages) samples.get(p.label)!.push(await get(p.path));
  const all = [...samples.values()].flat();
  return {
    // The app server's own CPU per request: steadier than latency when other work shares the machine.
    cpuMsPerRequest: ((cpuOf([serverPid]) - cpuBefore) * 1000) / all.length,
    timings: pages.map((p) => ({
      label: p.label,
      p50Ms: percentile(samples.get(p.label)!, 50),
      p95Ms: percentile(samples.get(p.label)!, 95),
    })),
    allP95Ms: percentile(all, 95),
  };
}

export function opportunitiesRows(r: OpportunitiesBenchResult | { skipped: string } | { error: string }): Row[] {
  const listingTitle = 'opportunities listing, 1,000 opportunities';
  const staffTitle = 'applications page, 2,000 applications';
  if ('skipped' in r) return [skippedRow(`${listingTitle}; ${staffTitle}`, r.skipped)];
  if ('error' in r) return [];
  const pg = 'listing' in r.postgres ? r.postgres : null;
  const lite = 'listing' in r.pglite ? r.pglite : null;
  const rows: Row[] = [];
  const detail = (kind: 'listing' | 'applications', prefix: string) => {
    const labels = (pg ?? lite)?.[kind].map((t) => t.label) ?? [];
    for (const [i, label] of labels.entries()) {
      const a = pg?.[kind][i];
      const b = lite?.[kind][i];
      const part = (name: string, t?: PageTiming) => (t ? `${name} p50 ${fmt(t.p50Ms)} / p95 ${fmt(t.p95Ms)} ms` : '');
      rows.push(infoRow(`${prefix}: ${label}`, [part('PostgreSQL', a), part('PGlite', b)].filter(Boolean).join('; ')));
    }
  };
  detail('listing', '/opportunities');
  detail('applications', 'applications page');
  for (const [title, key, kind] of [
    [listingTitle, 'listingP95Ms', 'listing'],
    [staffTitle, 'applicationsP95Ms', 'applications'],
  ] as const) {
    if (pg) rows.push(budgetRow(`${title}: p95, PostgreSQL (every request)`, pg[key], 'ms', 'max', OPPORTUNITIES_BUDGET_P95_MS));
    else rows.push(skippedRow(`${title}: PostgreSQL`, (r.postgres as { skipped: string }).skipped));
    if (lite) rows.push(infoRow(`${title}: p95, PGlite (every request)`, `${fmt(lite[key])} ms`));
    else rows.push(skippedRow(`${title}: PGlite`, (r.pglite as { skipped: string }).skipped));
    const cpu = (run: PagesRun | null) => (run ? `${fmt(run.cpuMsPerRequest[kind])} ms` : '–');
    rows.push(infoRow(`${title}: app CPU per request (PostgreSQL / PGlite)`, `${cpu(pg)} / ${cpu(lite)}`));
  }
  rows.push(
    infoRow(
      'opportunities: seeding (PostgreSQL / PGlite)',
      `${pg ? `${fmt(pg.seedSec)} s` : '–'} / ${lite ? `${fmt(lite.seedSec)} s` : '–'}`,
    ),
  );
  return rows;
}
