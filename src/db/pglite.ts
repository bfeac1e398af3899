import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { drizzle } from 'drizzle-orm/pglite';
import { DataDirLockedError, type Db, type DbHandle, type DbOptions } from './client.ts';
import { DataDirLock } from './lock.ts';
import { keepWebAssemblyOnBaselineCompiler } from './wasm-compiler.ts';

// The embedded database (PGlite): opened by `openDatabase` (client.ts) when no DATABASE_URL is
// set, and only then loaded.
export async function openPglite(opts: DbOptions): Promise<DbHandle> {
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
// btree_gin: the register's search filters are one GIN index over text columns too (migration 0014),
// whose operator classes live in the extension: it is loaded with every database, new or old.
export const pgliteOptions = () => ({
  extensions: { btree_gin },
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'wal_init_zero=off'],
});

// A handle on an open PGlite; closing it closes the PGlite and releases the data dir's lock, if any.
// Tests also wrap the in-memory instances they reuse with it (tests/helpers/database.ts).
export function pgliteHandle(client: PGlite, lock?: DataDirLock): DbHandle {
  const db = drizzle(client) as unknown as Db;
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
