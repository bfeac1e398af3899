import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { loadConfig } from '#src/config.ts';
import { catalogueTexts } from '#src/lib/i18n.ts';
import { buildApp } from '#src/app.ts';
import { SERVER_NODE_FLAGS } from '#src/runtime-flags.ts';
import { seedBenchStory, countRenderedComments } from './lib/fixtures.ts';
import { appServerArgs, freePort, removeTempDir, spawnNode, trackTempDir, waitFor200 } from './lib/children.ts';
import { sampleMemory, warmThenMeasure, type LoadFigures } from './lib/load.ts';
import { startNginx } from './lib/nginx.ts';
import { benchStoryPageOnPostgres, type StoryPagePostgresResult } from './story-page-postgres.ts';

export type StoryPageOptions = {
  root: string;
  commentCount: number;
  connections: number;
  warmupSec: number;
  durationSec: number;
  renders: number;
  renderWarmup: number;
  log: (msg: string) => void;
};

export type StoryPageResult = {
  pageBytes: number;
  commentsRendered: number;
  commentsSeeded: number;
  // First start after seeding also creates what the app sets up on its first run (the job queue's
  // schema); the budget figure is a restart on the data dir the app has already used.
  firstStartMs: number;
  startMs: number;
  app: LoadFigures;
  static: LoadFigures;
  ratio: number;
  // nginx serving the same bytes and headers (null when nginx is not installed): plain, and with
  // `Accept-Encoding: br, gzip` (the app sends its brotli copy, nginx its gzip_static file).
  nginx: { plain: LoadFigures; compressed: LoadFigures; appCompressed: LoadFigures; ratio: number; compressedRatio: number } | null;
  // maxRssMb: highest VmRSS sampled every 100 ms during warm-up and load; peakHwmMb: the kernel's
  // VmHWM, which also counts the start-up peak.
  memory: { maxRssMb: number; peakHwmMb: number; samples: number };
  render: {
    uncachedMedianMs: number;
    uncachedP95Ms: number;
    cachedMedianMs: number;
    cachedP95Ms: number;
    queriesPerUncached: number;
    queriesPerCached: number;
    // After an edit of the story itself (the story is read again as well as its comments).
    storyEditedMedianMs: number;
    storyEditedP95Ms: number;
    queriesPerStoryEdited: number;
    n: number;
    // The same uncached render in Welsh, and what the catalogue lookups cost: the uncached render
    // with i18next minus the same render with every t() answered from a plain map (interleaved).
    welshUncachedMedianMs: number;
    translationOverheadMs: number;
  };
  // The same page and load with the server on PostgreSQL (skipped when none is reachable).
  postgres: StoryPagePostgresResult | { skipped: string };
};

// Environment of the real server: production mode (template and page caches as deployed),
// embedded PGlite on the bench's own data dir, loopback only.
export function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'TRUST_PROXY', 'SMTP_URL', 'PORT', 'HOST', 'BASE_URL', 'DATA_DIR']) delete env[key];
  return {
    ...env,
    NODE_ENV: 'production',
    AUTH_SECRET: randomBytes(32).toString('hex'),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...extra,
  };
}

type RawResponse = { status: number; headers: Record<string, string | string[]>; body: Buffer };
export function getRaw(url: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string | string[]>,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchStoryPage(o: StoryPageOptions): Promise<StoryPageResult> {
  const tmp = trackTempDir(mkdtempSync(join(tmpdir(), 'coproduce-bench-page-')));
  const dataDir = join(tmp, 'data');

  o.log(`seeding a fresh PGlite data dir with one story and ${o.commentCount} approved comments`);
  const seedDb = await openDatabase({ dataDir });
  await runMigrations(seedDb);
  const seeded = await seedBenchStory(seedDb.db, { commentCount: o.commentCount });
  await seedDb.close();
  const path = `/stories/${seeded.slug}`;

  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const env = serverEnv({ PORT: String(port), BASE_URL: appUrl, DATA_DIR: dataDir });
  const startServer = async (label: string) => {
    const child = spawnNode(appServerArgs(), env, o.root);
    const ms = await waitFor200(`${appUrl}${path}`, child, 20_000);
    o.log(`${label}: the story page answered ${ms.toFixed(0)} ms after spawn`);
    return { child, ms };
  };
  const first = await startServer('first start on the seeded data dir');
  const server = first.child;
  await waitFor200(`${appUrl}/healthz`, server, 5000);

  const page = await getRaw(`${appUrl}${path}`);
  const commentsRendered = countRenderedComments(page.body.toString('utf8'), seeded.comments);
  if (commentsRendered !== seeded.comments.length) {
    o.log(`WARNING: the page shows ${commentsRendered} of ${seeded.comments.length} seeded comments`);
  }

  // Static baseline: the same bytes and headers, from a bare node:http server.
  const htmlFile = join(tmp, 'page.html');
  const headersFile = join(tmp, 'headers.json');
  writeFileSync(htmlFile, page.body);
  const replay = { ...page.headers };
  for (const h of ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']) delete replay[h];
  writeFileSync(headersFile, JSON.stringify(replay));
  const staticPort = await freePort();
  const staticUrl = `http://127.0.0.1:${staticPort}`;
  const staticServer = spawnNode(['scripts/bench/static-server.ts', htmlFile, headersFile, String(staticPort)], serverEnv({}), o.root);
  await waitFor200(`${staticUrl}/`, staticServer, 10_000);
  const check = await getRaw(`${staticUrl}${path}`);
  if (sha(check.body) !== sha(page.body)) throw new Error('static baseline does not serve the same bytes');

  const load = { connections: o.connections, warmupSec: o.warmupSec, durationSec: o.durationSec };
  const compressed = { ...load, headers: { 'accept-encoding': 'br, gzip' } };
  o.log(`static baseline: ${o.warmupSec} s warm-up + ${o.durationSec} s at ${o.connections} connections`);
  const staticFigures = await warmThenMeasure({ url: `${staticUrl}${path}`, ...load });
  await staticServer.stop();

  const nginx = await startNginx({ dir: join(tmp, 'nginx'), path, body: page.body, headers: replay });
  let nginxFigures: { plain: LoadFigures; compressed: LoadFigures } | null = null;
  if (nginx) {
    o.log(`nginx baseline: plain, then br/gzip, each ${o.warmupSec} s warm-up + ${o.durationSec} s`);
    nginxFigures = {
      plain: await warmThenMeasure({ url: nginx.url, ...load }),
      compressed: await warmThenMeasure({ url: nginx.url, ...compressed }),
    };
    await nginx.stop();
  } else o.log('nginx is not installed (apt-get install nginx-light): the node:http baseline only');

  o.log(`app: ${o.warmupSec} s warm-up + ${o.durationSec} s at ${o.connections} connections, plain then br/gzip`);
  const memory = sampleMemory(server.pid, 100);
  const appFigures = await warmThenMeasure({ url: `${appUrl}${path}`, ...load });
  const appCompressed = await warmThenMeasure({ url: `${appUrl}${path}`, ...compressed });
  const mem = memory.stop();
  await server.stop();
  if (server.proc.exitCode !== 0) o.log(`WARNING: server exited with ${server.proc.exitCode}:\n${server.output()}`);

  // Start time: spawn on the existing data dir → first 200 from the story page.
  const restart = await startServer('restart on the existing data dir');
  await restart.child.stop();

  o.log(`uncached render: in a process started as the server is, ${o.renders} renders`);
  const render = await measureRendersAsServer({
    dataDir,
    env,
    root: o.root,
    path,
    storyId: seeded.storyId,
    n: o.renders,
    warmup: o.renderWarmup,
  });
  removeTempDir(tmp);

  const postgres = await benchStoryPageOnPostgres(o);

  return {
    pageBytes: page.body.length,
    commentsRendered,
    commentsSeeded: seeded.comments.length,
    firstStartMs: first.ms,
    startMs: restart.ms,
    app: appFigures,
    static: staticFigures,
    ratio: appFigures.requestsPerSec / staticFigures.requestsPerSec,
    nginx: nginxFigures && {
      ...nginxFigures,
      appCompressed,
      ratio: appFigures.requestsPerSec / nginxFigures.plain.requestsPerSec,
      compressedRatio: appCompressed.requestsPerSec / nginxFigures.compressed.requestsPerSec,
    },
    memory: mem,
    render,
    postgres,
  };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// What render-child.ts is asked to do: the database (an embedded data dir or PostgreSQL), the page
// and the counts, and the file for its figures.
export type RenderTask = {
  dataDir?: string;
  databaseUrl?: string;
  path: string;
  storyId: number;
  n: number;
  warmup: number;
  resultFile: string;
};

// measureRenders in a child process started with the server's Node flags and start-up
// (render-child.ts), on the same database (the server has stopped: PGlite allows one process):
// the bench itself runs with V8's defaults, which on a large host give a young generation many
// times the server's and no limit on the old generation's growth, so in-process figures were not
// the server's.
export async function measureRendersAsServer(
  o: Omit<RenderTask, 'resultFile'> & { env: NodeJS.ProcessEnv; root: string },
): Promise<Awaited<ReturnType<typeof measureRenders>>> {
  const { env, root, ...rest } = o;
  const dir = trackTempDir(mkdtempSync(join(tmpdir(), 'coproduce-bench-render-')));
  try {
    const task: RenderTask = { ...rest, resultFile: join(dir, 'render.json') };
    const child = spawnNode(
      [...SERVER_NODE_FLAGS, 'scripts/bench/render-child.ts'],
      { ...env, BENCH_RENDER_TASK: JSON.stringify(task) },
      root,
    );
    const code = await child.exited;
    if (code !== 0) throw new Error(`the render process exited with ${code}:\n${child.output()}`);
    return JSON.parse(readFileSync(task.resultFile, 'utf8')) as Awaited<ReturnType<typeof measureRenders>>;
  } finally {
    removeTempDir(dir);
  }
}

// The app built in this process on the same data dir (the server has stopped: PGlite allows one
// process). "Uncached" invalidates the page cache the way a new comment does before each request,
// so the time includes the database queries and the template render.
// The database is this process's own (an embedded data dir, or a pool to PostgreSQL) and is
// closed here. Every query the render sends is counted at the driver.
export async function measureRenders(o: {
  database: DbHandle;
  env: NodeJS.ProcessEnv;
  path: string;
  storyId: number;
  n: number;
  warmup: number;
}) {
  const { database } = o;
  // No job workers: their polling would add queries that are not the page's.
  const app = await buildApp({ config: loadConfig(o.env), database, startJobs: false });
  try {
    await app.ready();
    let queries = 0;
    const client = (database.pglite ?? database.pool) as { query: (...args: unknown[]) => unknown };
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      queries++;
      return query(...args);
    };

    // What approving a comment does: the page's comments changed (the story did not).
    const commentApproved = () => app.services.events.emit('comments.changed', o.storyId, 'story');
    // What an edit of the story does: the story is read again too.
    const storyEdited = () => app.services.events.emit('story.changed', o.storyId);
    // The response is taken as the stream the app writes, drained without joining it: as a JSON
    // string (inject's default) light-my-request copied and decoded the 275 KB page on every
    // request, a third of the time measured, which no reader's request costs the app.
    const once = async (invalidate: (() => void) | null, lang = 'en') => {
      invalidate?.();
      const q0 = queries;
      const t0 = performance.now();
      const res = await app.inject({
        method: 'GET',
        url: o.path,
        headers: { cookie: `coproduce.lang=${lang}` },
        payloadAsStream: true,
      });
      for await (const _chunk of res.stream()) {
        /* drained */
      }
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`story page answered ${res.statusCode} in-process`);
      // The event loop turns between requests, as in a server, where each arrives from a socket.
      // On PGlite nothing in a request waits for I/O, so back to back they never let it turn: the
      // callbacks each response leaves for the next turn piled up, holding every response (3,000
      // requests kept 18 MB), and the collections that caused were timed as the render's own.
      await new Promise((resolve) => setImmediate(resolve));
      return { ms, queries: queries - q0 };
    };
    // Warmed up as a server that has been running a while is: its templates and code compiled.
    for (let i = 0; i < o.warmup; i++) await once(i % 2 === 0 ? commentApproved : null);
    const uncached: { ms: number; queries: number }[] = [];
    const cached: { ms: number; queries: number }[] = [];
    const edited: { ms: number; queries: number }[] = [];
    for (let i = 0; i < o.n; i++) uncached.push(await once(commentApproved));
    await once(null);
    for (let i = 0; i < o.n; i++) cached.push(await once(null));
    for (let i = 0; i < o.n; i++) edited.push(await once(storyEdited));
    const u = uncached.map((x) => x.ms);
    const c = cached.map((x) => x.ms);
    const e = edited.map((x) => x.ms);
    const welsh: number[] = [];
    for (let i = 0; i < o.n; i++) welsh.push((await once(commentApproved, 'cy')).ms);
    const translationOverheadMs = await translationOverhead(app, () => once(commentApproved), o.n);
    return {
      welshUncachedMedianMs: percentile(welsh, 50),
      translationOverheadMs,
      uncachedMedianMs: percentile(u, 50),
      uncachedP95Ms: percentile(u, 95),
      cachedMedianMs: percentile(c, 50),
      cachedP95Ms: percentile(c, 95),
      queriesPerUncached: median(uncached.map((x) => x.queries)),
      queriesPerCached: median(cached.map((x) => x.queries)),
      storyEditedMedianMs: percentile(e, 50),
      storyEditedP95Ms: percentile(e, 95),
      queriesPerStoryEdited: median(edited.map((x) => x.queries)),
      n: o.n,
    };
  } finally {
    await app.close();
    await database.close();
  }
}

// Renders alternately with the real translator and with t()/tHtml() answered from a flat map of
// the English catalogue (no i18next), and returns the difference of the medians.
async function translationOverhead(app: Awaited<ReturnType<typeof buildApp>>, render: () => Promise<{ ms: number }>, n: number) {
  const env = app.nunjucks as unknown as { globals: Record<string, unknown> };
  const real = { t: env.globals.t, tHtml: env.globals.tHtml };
  const flat = catalogueTexts('en');
  const plain = (key: string) => flat.get(key) ?? flat.get(`${key}_other`) ?? key;
  const withI18n: number[] = [];
  const withMap: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      Object.assign(env.globals, real);
      withI18n.push((await render()).ms);
      Object.assign(env.globals, { t: plain, tHtml: plain });
      withMap.push((await render()).ms);
    }
  } finally {
    Object.assign(env.globals, real);
  }
  return percentile(withI18n, 50) - percentile(withMap, 50);
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank]!;
}
const median = (xs: number[]) => percentile(xs, 50);
