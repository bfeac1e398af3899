import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { createStory, type StoryRow } from '#tests/helpers/factories.ts';
import { appServerArgs, freePort, spawnNode, waitFor200, type Child } from '#scripts/bench/lib/children.ts';
import { serverEnv } from '#scripts/bench/story-page.ts';

// Issue 10: when PostgreSQL goes away and comes back, the app neither crashes nor needs a restart.
// This file starts a PostgreSQL server of its own (initdb in a temporary folder, on a free port),
// runs the app on it, stops the database under load and starts it again.

const root = fileURLToPath(new URL('../../', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function postgresBin(): string {
  for (const base of ['/usr/lib/postgresql']) {
    if (!existsSync(base)) continue;
    const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(base, v, 'bin', 'pg_ctl'))) return join(base, v, 'bin');
  }
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

// PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
const asRoot = process.getuid?.() === 0;
const postgresUid = asRoot ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })) : undefined;
function pgCommand(bin: string, args: string[]) {
  const command = join(postgresBin(), bin);
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
  else execFileSync(command, args, { stdio: 'pipe' });
}

let dir: string;
let port: number;
let app: Child;
let base: string;
let story: StoryRow;
const pgCtl = (action: 'start' | 'stop') =>
  pgCommand('pg_ctl', [
    '-D',
    join(dir, 'data'),
    '-l',
    join(dir, 'log'),
    '-w',
    '-t',
    '30',
    ...(action === 'start' ? ['-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`] : ['-m', 'fast']),
    action,
  ]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coproduce-pg-'));
  if (postgresUid !== undefined) chownSync(dir, postgresUid, postgresUid);
  port = await freePort();
  pgCommand('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  pgCtl('start');
  const databaseUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const setup = await openDatabase({ databaseUrl, poolSize: 2 });
  await runMigrations(setup);
  story = await createStory(setup.db);
  await setup.close();

  const appPort = await freePort();
  base = `http://127.0.0.1:${appPort}`;
  app = spawnNode(appServerArgs(), serverEnv({ PORT: String(appPort), BASE_URL: base, DATABASE_URL: databaseUrl }), root);
  await waitFor200(`${base}/healthz`, app, 60_000);
}, 120_000);

afterAll(async () => {
  await app?.stop(3000);
  try {
    pgCtl('stop');
  } catch {
    // already stopped
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('PostgreSQL stops and starts again under load', () => {
  it('answers 503 while it is away, never crashes, and serves again within 5 s of its return', async () => {
    let stop = false;
    const statuses = new Map<number, number>();
    // Readers keep asking for pages the whole time (the list is never cached).
    const reader = async () => {
      while (!stop) {
        const res = await fetch(`${base}/stories`).catch(() => null);
        if (res) {
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }
    };
    const readers = Array.from({ length: 4 }, reader);
    await sleep(500);

    pgCtl('stop');
    const away = await fetch(`${base}/stories`);
    expect(away.status).toBe(503);
    expect(away.headers.get('retry-after')).toBe('30');
    expect(await away.text()).toContain('Sorry, the service is unavailable');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    await sleep(1500);
    expect(app.proc.exitCode).toBeNull();

    pgCtl('start');
    const back = performance.now();
    let recovered = Number.POSITIVE_INFINITY;
    while (performance.now() - back < 15_000) {
      const [page, healthz] = await Promise.all([fetch(`${base}/stories/${story.slug}?fresh=1`), fetch(`${base}/healthz`)]);
      await Promise.all([page.arrayBuffer(), healthz.arrayBuffer()]);
      if (page.status === 200 && healthz.status === 200) {
        recovered = performance.now() - back;
        break;
      }
      await sleep(100);
    }
    stop = true;
    await Promise.all(readers);

    expect(recovered).toBeLessThan(5000);
    expect(app.proc.exitCode).toBeNull();
    expect(
      [...statuses.keys()].every((s) => s === 200 || s === 503),
      JSON.stringify([...statuses]),
    ).toBe(true);
    expect(statuses.get(503)).toBeGreaterThan(0);
  }, 90_000);
});
