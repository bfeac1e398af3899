import { fileURLToPath } from 'node:url';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { DbHandle } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

// Any fixed number: the key of the advisory lock that lets one instance migrate at a time.
const MIGRATION_LOCK = 7_414_203_611;

// Applies every migration not yet applied; safe to run on each start. On PostgreSQL, instances that
// start together take turns (a session advisory lock on a connection of its own): the first
// migrates, the others then find nothing left to do.
export async function runMigrations(handle: DbHandle): Promise<void> {
  // Each database's migrator is loaded only for that database (ADR 10).
  if (handle.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  const lock = new pg.Client({ connectionString: handle.url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const { migrate: migratePg } = await import('drizzle-orm/node-postgres/migrator');
    await migratePg(handle.db as unknown as NodePgDatabase, { migrationsFolder });
  } finally {
    await lock.end();
  }
}
