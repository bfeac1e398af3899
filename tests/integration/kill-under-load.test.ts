import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { signStamp } from '#src/lib/form-stamp.ts';
import { comments } from '#src/features/comments/tables.ts';
import { createStory } from '#tests/helpers/factories.ts';
import { testDbKind } from '#tests/helpers/database.ts';
import { scratchDatabase } from '#tests/helpers/postgres-admin.ts';
import { appServerArgs, freePort, spawnNode, waitFor200 } from '#scripts/bench/lib/children.ts';
import { serverEnv } from '#scripts/bench/story-page.ts';

// Issue 10: nothing acknowledged is ever lost. A real server takes comments from 16 senders at
// once and is killed with SIGKILL while they are still sending; the database is then opened again
// (the embedded one from its data dir, as the next start would) and every comment the server
// answered 303 for must be there. Run on the embedded database and on PostgreSQL.

const root = fileURLToPath(new URL('../../', import.meta.url));
const secret = randomBytes(32).toString('hex');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
}, 30_000);

// A database the server process can open: a data dir, or a scratch PostgreSQL database.
async function serverDatabase(): Promise<{ env: Record<string, string>; open: () => Promise<DbHandle> }> {
  if (testDbKind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'coproduce-kill-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return { env: { DATA_DIR: dir }, open: () => openDatabase({ dataDir: dir }) };
  }
  const scratch = await scratchDatabase(process.env.TEST_DATABASE_URL!, 'kill');
  cleanups.push(scratch.drop);
  return { env: { DATABASE_URL: scratch.url }, open: () => openDatabase({ databaseUrl: scratch.url, poolSize: 2 }) };
}

describe('a server killed under write load', () => {
  it('keeps every comment it acknowledged', async () => {
    const target = await serverDatabase();
    const setup = await target.open();
    await runMigrations(setup);
    const story = await createStory(setup.db);
    await setup.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = serverEnv({ ...target.env, PORT: String(port), BASE_URL: base, AUTH_SECRET: secret, TRUST_PROXY: 'true' });
    const server = spawnNode(appServerArgs(), env, root);
    cleanups.push(() => server.stop(2000));
    await waitFor200(`${base}/stories/${story.slug}`, server, 60_000);

    // A stamp from ten seconds ago: past the minimum fill time, as a person would be.
    const stamp = signStamp(secret, Date.now() - 10_000);
    const acknowledged: string[] = [];
    let sent = 0;
    let stop = false;
    const sender = async (who: number) => {
      for (let i = 0; !stop; i++) {
        const n = sent++;
        const email = `sender${who}.${i}@example.org`;
        try {
          const res = await fetch(`${base}/stories/${story.slug}/comments`, {
            method: 'POST',
            redirect: 'manual',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-forwarded-for': `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`,
            },
            body: new URLSearchParams({ stamp, name: `Sender ${who}`, email, comment: `Comment ${i} from sender ${who}.` }).toString(),
          });
          await res.arrayBuffer();
          if (res.status === 303) acknowledged.push(email);
        } catch {
          return; // the server has gone
        }
      }
    };
    const senders = Array.from({ length: 16 }, (_, who) => sender(who));
    // Kill once a good number have been acknowledged, with requests still in flight.
    const until = performance.now() + 30_000;
    while (acknowledged.length < 150 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
    server.proc.kill('SIGKILL');
    await server.exited;
    stop = true;
    await Promise.all(senders);
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const after = await target.open();
    try {
      const stored = await after.db
        .select({ email: comments.authorEmail })
        .from(comments)
        .where(inArray(comments.authorEmail, acknowledged));
      expect(stored.length).toBe(acknowledged.length);
    } finally {
      await after.close();
    }
  }, 120_000);
});
