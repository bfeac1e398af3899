import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { classifyFault, lostConnection } from '#src/lib/faults.ts';

// Both drivers speak the same dialect; features only ever see these common types. No relational
// schema is attached: queries name their tables, so the database module knows no feature.
export type Db = PgDatabase<PgQueryResultHKT>;
// What `db.transaction(async (tx) => …)` hands its callback. Anything that takes a `Db` takes a `Tx`.
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type DbHandle = {
  db: Db;
  kind: 'pglite' | 'postgres';
  // Raw SQL (no parameters) for health checks and tooling that sits below Drizzle.
  ping: () => Promise<void>;
  close: () => Promise<void>;
  pglite?: PGlite;
  pool?: pg.Pool;
  // The server's address, for components that open their own connections (the job queue).
  url?: string;
};

export class DataDirLockedError extends Error {}

// Which database a handle's `db` talks to, for code given only the `db` (the import runner):
// Drizzle keeps the driver's client on it.
export const databaseKindOf = (db: Db): DbHandle['kind'] =>
  (db as { $client?: unknown }).$client instanceof pg.Pool ? 'postgres' : 'pglite';

export type DbOptions = {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
  // PGlite: start from this data dir tarball (from `dumpDataDir`) instead of an empty cluster.
  // Tests use it to copy one migrated database rather than run initdb and every migration again.
  loadDataDir?: Blob;
};

// PGlite (embedded Postgres in WASM) by default; a real PostgreSQL server when DATABASE_URL is set.
// dataDir 'memory://' gives a throwaway in-memory database (tests). PGlite's part is loaded only
// when it is used (pglite.ts): a server on PostgreSQL never needs it (ADR 10).
export async function openDatabase(opts: DbOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    // A request waiting for a connection gives up (and fails cleanly) rather than wait forever, and
    // the server ends any transaction left idle, so a bug can never hold the pool for good.
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 15_000,
      idle_in_transaction_session_timeout: 60_000,
    });
    // A dropped idle connection must not take the process down; the next query reconnects.
    pool.on('error', () => {});
    const db = drizzlePg(pool) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      pool,
      url: opts.databaseUrl,
      // A connection the server ended while it sat idle in the pool (a restart, a failover, an
      // administrator) fails its next query although the server is there: that connection is
      // discarded, so ask again, on a fresh connection if none is idle. A server that refuses new
      // connections (absent, or not accepting them) fails at once.
      async ping() {
        for (let attempt = 0; ; attempt++) {
          try {
            await pool.query('select 1');
            return;
          } catch (err) {
            const again = pool.idleCount > 0 || lostConnection(err);
            if (attempt > (opts.poolSize ?? 10) || !again || classifyFault(err) !== 'DATABASE_UNAVAILABLE') throw err;
          }
        }
      },
      async close() {
        await pool.end();
      },
    };
  }
  const { openPglite } = await import('./pglite.ts');
  return openPglite(opts);
}
