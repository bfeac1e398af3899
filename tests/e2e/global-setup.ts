import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from '@playwright/test';
import { accounts, changingAccounts, e2eBaseUrl, e2eMinFillSeconds, e2ePort, sessionsDirVariable } from './env.ts';
import { loadConfig } from '#src/config.ts';
import { openDatabase } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { createAuth } from '#src/platform/identity/better-auth.ts';
import { createStaffUser } from '#src/platform/identity/service.ts';
import type { StaffRole } from '#src/platform/identity/roles.ts';
import { createE2eOpportunity } from './opportunity.ts';
import { createE2eGroups } from './groups.ts';
import { createE2eInvolvement } from './involvement.ts';
import { createE2eReviewers } from './reviews.ts';

const root = resolve(import.meta.dirname, '../..');

// A fresh embedded database for every run: staff accounts are created while the server is not
// running (PGlite allows one process at a time), then the server starts on the demo seed.
// The function it returns is Playwright's teardown: stop the server, delete the data.
export default async function globalSetup() {
  await refuseIfPortInUse();
  // Nothing else runs on this port, so a lock a crashed run left behind (way-in.spec.ts) is stale.
  rmSync(join(tmpdir(), `coproduce-e2e-${e2ePort}-rules.lock`), { recursive: true, force: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'coproduce-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: String(e2ePort),
    HOST: '127.0.0.1',
    BASE_URL: e2eBaseUrl,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    // As behind a reverse proxy: each test speaks from its own address (X-Forwarded-For), so the
    // per-address comment limits apply to each journey, not to all of them together.
    TRUST_PROXY: 'true',
    FORM_MIN_FILL_SECONDS: String(e2eMinFillSeconds),
  };
  // The journeys run on the embedded database, whatever the developer's shell points at.
  delete env.DATABASE_URL;

  // All the staff accounts in this process, through the same code as `npm run user:create` (one
  // process each cost a start-up and a migration check apiece); the database is closed before the
  // server opens it.
  try {
    const database = await openDatabase({ dataDir });
    try {
      await runMigrations(database);
      const auth = createAuth(database.db, loadConfig(env));
      for (const a of [...Object.values(accounts), ...Object.values(changingAccounts)]) {
        const made = await createStaffUser(auth, { email: a.email, name: a.name, role: a.role as StaffRole, password: a.password });
        if (!made.ok) throw new Error(`could not create ${a.email}: ${made.error}`);
      }
      await createE2eOpportunity(database.db);
      await createE2eGroups(database.db);
      await createE2eInvolvement(database.db);
      await createE2eReviewers(database.db);
    } finally {
      await database.close();
    }
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  const server = spawn(process.execPath, ['src/server.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  // Warnings and errors from the server belong in the test output, where someone will read them.
  server.stderr.pipe(process.stderr);
  server.stdout.pipe(process.stderr);

  try {
    // A start-up takes seconds on a quiet machine; on a busy one it took over 30 s, which failed the
    // whole stage. This only has to catch a server that never comes up.
    await waitForHealthy(server, 120_000);
  } catch (err) {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\nServer output:\n${output.join('')}`);
  }

  try {
    process.env[sessionsDirVariable] = await signInSharedAccounts(dataDir);
  } catch (err) {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  return async () => {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  };
}

// Signs each shared staff account in once, through the sign-in form over HTTP, and keeps its
// cookies for the journeys that need a signed-in member of staff but are not about signing in
// (`useStaffSession` in pages.ts): a sign-in through the browser cost two page loads, two axe
// checks and a password hash each time. Nothing in a run signs these accounts out. The workers
// find the folder in the environment (Playwright passes the global setup's variables on).
async function signInSharedAccounts(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'e2e-sessions');
  mkdirSync(dir, { recursive: true });
  for (const [role, account] of Object.entries(accounts)) {
    // An address of its own (the benchmarking range), so the sign-in limit counts these alone.
    const context = await request.newContext({ baseURL: e2eBaseUrl, extraHTTPHeaders: { 'x-forwarded-for': '198.19.255.254' } });
    try {
      const form = await context.get('/sign-in');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
      if (!csrf) throw new Error('the sign-in page has no CSRF token');
      const res = await context.post('/sign-in', {
        form: { _csrf: csrf, email: account.email, password: account.password, next: '/admin' },
        maxRedirects: 0,
      });
      if (res.status() !== 303 || res.headers().location !== '/admin')
        throw new Error(`signing in ${account.email} answered ${res.status()}`);
      await context.storageState({ path: join(dir, `${role}.json`) });
    } finally {
      await context.dispose();
    }
  }
  return dir;
}

async function refuseIfPortInUse() {
  try {
    await fetch(`${e2eBaseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
  } catch {
    return; // nothing listening: good
  }
  throw new Error(`Something is already listening on ${e2eBaseUrl}; stop it or set E2E_PORT to a free port.`);
}

async function waitForHealthy(server: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited with code ${server.exitCode} before it was ready.`);
    try {
      const res = await fetch(`${e2eBaseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The server did not answer ${e2eBaseUrl}/healthz within ${timeoutMs / 1000} s.`);
}

async function stop(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((r) => server.once('exit', () => r()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
