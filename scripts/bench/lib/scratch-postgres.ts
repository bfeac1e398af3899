import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { onCleanup } from './children.ts';

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

// The PostgreSQL server the bench may use: BENCH_DATABASE_URL, else TEST_DATABASE_URL, DATABASE_URL,
// else the local test server.
export const benchPostgresUrl = () =>
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? LOCAL_POSTGRES;

// Runs fn on a new, migrated scratch database (coproduce_bench_<part>_<random>) and drops it after,
// even if the bench is interrupted. Without a reachable server the part is skipped, with the reason.
export async function withScratchPostgres<T>(part: string, fn: (database: DbHandle) => Promise<T>): Promise<T | { skipped: string }> {
  const adminUrl = benchPostgresUrl();
  if (!/^postgres(ql)?:\/\//.test(adminUrl)) return { skipped: 'no PostgreSQL address (set TEST_DATABASE_URL)' };
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `PostgreSQL is not reachable (${(err as Error).message})` };
  }
  const name = `coproduce_bench_${part}_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const drop = async () => {
    const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  const forget = onCleanup(drop);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  try {
    await runMigrations(database);
    return await fn(database);
  } finally {
    await database.close();
    forget();
    await drop();
  }
}

// Runs a part on a scratch PostgreSQL database, then on an in-memory PGlite, and says how long both
// took: the parts that count the same thing on both databases (meetings, finance).
export async function onBothDatabases<T>(
  part: string,
  run: (database: DbHandle, kind: 'postgres' | 'pglite') => Promise<T>,
  log: (msg: string) => void,
): Promise<{ postgres: T | { skipped: string }; pglite: T; totalSec: number }> {
  const began = performance.now();
  const postgres = await withScratchPostgres(part, (database) => run(database, 'postgres'));
  log(`${part}: PostgreSQL done`);
  const lite = await openDatabase({ dataDir: 'memory://' });
  try {
    await runMigrations(lite);
    const pglite = await run(lite, 'pglite');
    return { postgres, pglite, totalSec: (performance.now() - began) / 1000 };
  } finally {
    await lite.close();
  }
}
