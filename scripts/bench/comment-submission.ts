import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { seedBenchStory } from './lib/fixtures.ts';
import { appServerArgs, freePort, onCleanup, removeTempDir, spawnNode, trackTempDir, waitFor200 } from './lib/children.ts';
import { run, sampleMemory } from './lib/load.ts';
import { cpuOf } from './lib/machine.ts';
import { serverEnv } from './story-page.ts';

export type SubmissionRun = {
  database: string;
  visitors: number;
  submitted: number;
  accepted: number;
  refused: Record<string, number>;
  errors: number;
  stored: number;
  distinctStored: number;
  lost: number;
  durationSec: number;
  perSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  maxRssMb: number;
  peakHwmMb: number;
  // CPU time per accepted submission during the POSTs: of the app server, and (PostgreSQL) of the
  // backends serving the scratch database (its connections only, so other work on the same
  // PostgreSQL server does not count). Steadier than submissions/s on a busy machine.
  cpuMsPerSubmission: { server: number; postgres: number };
};
export type CommentSubmissionResult = { postgres: SubmissionRun | { skipped: string }; pglite: SubmissionRun | { skipped: string } };

export type CommentSubmissionOptions = {
  root: string;
  log: (msg: string) => void;
  submissions: number;
  connections: number;
  visitors: number;
};

// The same server .ci/run uses for the PostgreSQL test suite, when no address is given.
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

// PostgreSQL (a scratch database, the budget) and PGlite (a fresh data dir, reported), one after
// the other, each with its own server.
export async function benchCommentSubmission(o: CommentSubmissionOptions): Promise<CommentSubmissionResult> {
  const postgres = await onPostgres(o);
  const tmp = trackTempDir(mkdtempSync(join(tmpdir(), 'coproduce-bench-comments-')));
  try {
    const dataDir = join(tmp, 'data');
    o.log(`comment submission: PGlite data dir ${dataDir}`);
    // PGlite's part failing (a server that did not start on a very busy machine) keeps PostgreSQL's figures.
    const pglite = await submissions(o, {
      kind: 'pglite',
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir }),
      backends: async () => [],
    }).catch((err: unknown) => ({ skipped: `could not run: ${String((err as Error).message).split('\n')[0]}` }));
    return { postgres, pglite };
  } finally {
    removeTempDir(tmp);
  }
}

async function onPostgres(o: CommentSubmissionOptions): Promise<SubmissionRun | { skipped: string }> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? LOCAL_POSTGRES;
  if (!/^postgres(ql)?:\/\//.test(adminUrl)) return { skipped: 'no PostgreSQL address (set TEST_DATABASE_URL)' };
  const shown = redact(adminUrl);
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `PostgreSQL at ${shown} is not reachable (${(err as Error).message})` };
  }

  // A scratch database, dropped afterwards (also on error or Ctrl-C).
  const name = `coproduce_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const dropScratch = async () => {
    const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  const forget = onCleanup(dropScratch);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    o.log(`comment submission: scratch database ${name} on ${shown}`);
    return await submissions(o, {
      kind: 'postgresql',
      env: { DATABASE_URL: databaseUrl },
      open: () => openDatabase({ databaseUrl, poolSize: 2 }),
      backends: () => backendsOf(adminUrl, name),
    });
  } finally {
    await dropScratch();
    forget();
  }
}

type Target = {
  kind: string;
  env: Record<string, string>;
  open: () => Promise<DbHandle>;
  backends: () => Promise<number[]>;
};

async function submissions(o: CommentSubmissionOptions, target: Target): Promise<SubmissionRun> {
  const seedDb = await target.open();
  await runMigrations(seedDb);
  // Moderation "all": every accepted comment waits in the moderation queue.
  const seeded = await seedBenchStory(seedDb.db, { commentCount: 20, siteSettings: { moderation: 'all' } });
  await seedDb.close();

  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  // TRUST_PROXY: each simulated visitor gets its own address through X-Forwarded-For, so the
  // per-address limits meant for one person do not turn the whole load away.
  const env = serverEnv({ PORT: String(port), BASE_URL: appUrl, TRUST_PROXY: 'true', ...target.env });
  const server = spawnNode(appServerArgs(), env, o.root);
  const storyPath = `/stories/${seeded.slug}`;
  await waitFor200(`${appUrl}${storyPath}`, server, 60_000);

  o.log(`comment submission (${target.kind}): ${o.visitors} visitors open the story page for the form's tokens`);
  const visitors = await collectForms(appUrl, storyPath, o.visitors);
  // Past the minimum fill time for the last form issued, with a margin for clock granularity.
  const minFillMs = 3000;
  const wait = visitors.at(-1)!.fetchedAt + minFillMs + 250 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));

  o.log(`comment submission (${target.kind}): ${o.submissions} POSTs at ${o.connections} connections`);
  let n = 0;
  // The PostgreSQL backends serving the scratch database, and the CPU each had used so far.
  const backendsBefore = new Map((await target.backends()).map((pid) => [pid, cpuOf([pid])]));
  const serverCpuBefore = cpuOf([server.pid]);
  const memory = sampleMemory(server.pid, 100);
  const result = await run({
    url: appUrl,
    connections: o.connections,
    amount: o.submissions,
    requests: [
      {
        method: 'POST',
        path: visitors[0]!.action,
        setupRequest: (req) => {
          const i = n++;
          const v = visitors[i % visitors.length]!;
          return {
            ...req,
            path: v.action,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              cookie: v.cookie,
              // As a browser posting from the page would (the anonymous form's check, ADR 20).
              origin: appUrl,
              'x-forwarded-for': addressFor(i),
            },
            body: formBody(v.fields, i),
          };
        },
      },
    ],
  });
  const mem = memory.stop();
  // A backend opened during the run counts from its start.
  const cpuUsed = {
    server: cpuOf([server.pid]) - serverCpuBefore,
    postgres: (await target.backends()).reduce((sum, pid) => sum + cpuOf([pid]) - (backendsBefore.get(pid) ?? 0), 0),
  };
  await server.stop();

  const check = await target.open();
  const counted = rowsOf<{ stored: string; distinct: string }>(
    await check.db.execute(sql`
      select count(*) as stored, count(distinct author_email) as distinct
        from comments where target_type = 'story' and target_id = ${seeded.storyId} and status = 'pending'`),
  )[0]!;
  await check.close();

  const codes: Record<string, number> = {};
  for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) codes[code] = Number(v.count);
  const accepted = (codes['302'] ?? 0) + (codes['303'] ?? 0);
  const refused = Object.fromEntries(Object.entries(codes).filter(([c]) => c !== '302' && c !== '303'));
  const stored = Number(counted.stored);
  return {
    database: target.kind,
    visitors: visitors.length,
    submitted: result.requests.sent ?? result.requests.total,
    accepted,
    refused,
    errors: result.errors,
    stored,
    distinctStored: Number(counted.distinct),
    lost: Math.max(0, accepted - stored),
    durationSec: result.duration,
    perSec: accepted / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    maxRssMb: mem.maxRssMb,
    peakHwmMb: mem.peakHwmMb,
    cpuMsPerSubmission: { server: (cpuUsed.server * 1000) / accepted, postgres: (cpuUsed.postgres * 1000) / accepted },
  };
}

// The server processes of a database's connections (this bench's app only: the database is its own).
async function backendsOf(adminUrl: string, database: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    const r = await c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
    return r.rows.map((row) => row.pid);
  } finally {
    await c.end();
  }
}

type Visitor = { cookie: string; action: string; fields: Record<string, string>; fetchedAt: number };

// Each visitor opens the story page as a browser would: its own address, its own cookies (the
// cached page's form stamp travels in one) and the form's hidden fields as served.
async function collectForms(appUrl: string, path: string, count: number): Promise<Visitor[]> {
  const out: Visitor[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${appUrl}${path}`, { headers: { 'x-forwarded-for': addressFor(1_000_000 + i) } });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`story page answered ${res.status}`);
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .join('; ');
      const form = commentForm(html);
      if (!form) throw new Error('the story page has no comment form');
      out.push({ cookie, action: new URL(form.action, `${appUrl}${path}`).pathname, fields: form.fields, fetchedAt: Date.now() });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out.sort((a, b) => a.fetchedAt - b.fetchedAt);
}

function commentForm(html: string): { action: string; fields: Record<string, string> } | null {
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const inner = m[2]!;
    const action = attr(m[1]!, 'action') ?? '';
    if (!action.endsWith('/comments')) continue;
    const fields: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b[^>]*>/g)) {
      const tag = input[0];
      if (attr(tag, 'type') !== 'hidden') continue;
      const name = attr(tag, 'name');
      if (name) fields[name] = attr(tag, 'value') ?? '';
    }
    return { action: decodeEntities(action), fields };
  }
  return null;
}

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeEntities(m[1]!) : undefined;
};
const decodeEntities = (s: string) =>
  s.replace(/&(amp|quot|#39|#x27|lt|gt);/g, (_, e: string) => ({ amp: '&', quot: '"', '#39': "'", '#x27': "'", lt: '<', gt: '>' })[e]!);

// 10.x.y.z, distinct for each of 16 million requests.
const addressFor = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function formBody(hidden: Record<string, string>, i: number): string {
  const withRole = i % 3 === 0;
  return new URLSearchParams({
    ...hidden,
    name: `Bench Visitor ${i}`,
    jobTitle: withRole ? 'Practice nurse' : '',
    organisation: withRole ? 'Riverside Health Centre' : '',
    email: `visitor.${i}@example.org`,
    comment:
      `Comment ${i}. The waiting room changes made a real difference to how calm my mother felt before her ` +
      'appointment. I would like to know how the feedback from the evening sessions will be shared with the ' +
      'wider team, and whether the same approach could work for people who do not use the internet at all.',
    website: '',
  }).toString();
}

const redact = (u: string) => {
  const url = new URL(u);
  if (url.password) url.password = '***';
  return url.toString();
};
