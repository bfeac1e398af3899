import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { is } from 'drizzle-orm';
import { drizzle as drizzlePglite, PgliteDatabase } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { classifyFault, lostConnection } from '#src/lib/faults.ts';
import { DataDirLock } from './lock.ts';
import { keepWebAssemblyOnBaselineCompiler } from './wasm-compiler.ts';

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

// Which database a handle's `db` talks to, for code given only the `db` (the import runner).
export const databaseKindOf = (db: Db): DbHandle['kind'] => (is(db, PgliteDatabase) ? 'pglite' : 'postgres');

export type DbOptions = {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
  // PGlite: start from this data dir tarball (from `dumpDataDir`) instead of an empty cluster.
  // Tests use it to copy one migrated database rather than run initdb and every migration again.
  loadDataDir?: Blob;
};

// PGlite (embedded Postgres in WASM) by default; a real PostgreSQL server when DATABASE_URL is set.
// dataDir 'memory://' gives a throwaway in-memory database (tests).
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
  const dataDir = opts.dataDir ?? './data';
  let lock: DataDirLock | undefined;
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    lock = new DataDirLock(dataDir);
    const got = lock.acquire();
    if (!got.ok) {
      throw new DataDirLockedError(
        `The embedded database in ${dataDir} is in use by another process (pid ${got.pid}), probably the ` +
          `Coproduce server. PGlite allows one process at a time: stop the server, run this again, then ` +
          `start the server. (Or set DATABASE_URL to use a PostgreSQL server, which has no such limit.)`,
      );
    }
  }
  let client: PGlite;
  try {
    keepWebAssemblyOnBaselineCompiler();
    client = await PGlite.create(dataDir, { ...pgliteOptions(), ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
  } catch (err) {
    lock?.release();
    throw new DataDirLockedError(`Could not open the embedded database in ${dataDir}: ${(err as Error).message}`);
  }
  return pgliteHandle(client, lock);
}

// The embedded database's own settings on top of PGlite's: a 16 MB buffer cache rather than
// PostgreSQL's 128 MB, which is sized for a server. PGlite keeps it inside its WebAssembly heap,
// which never shrinks, while the pages it reads still come through the operating system's file
// cache; measured, the server's memory under load fell by about 170 MB and page times did not
// change (ADR 10, "Later"). Tests open their in-memory databases with the same settings.
// New WAL files are not filled with zeros first (wal_init_zero): PGlite runs without fsync, so the
// zeros reserve nothing it relies on, and in memory they cost a copy of the growing 16 MB file
// every few writes: a third of the CPU of a 50,000-row register import (scripts/bench/README.md).
export const pgliteOptions = () => ({
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'wal_init_zero=off'],
});

// A handle on an open PGlite; closing it closes the PGlite and releases the data dir's lock, if any.
// Tests also wrap the in-memory instances they reuse with it (tests/helpers/database.ts).
export function pgliteHandle(client: PGlite, lock?: DataDirLock): DbHandle {
  const db = drizzlePglite(client) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
      lock?.release();
    },
  };
}
