import type { DbHandle } from '#src/db/client.ts';
import { adminQuery } from './postgres-admin.ts';

// Real database faults for tests, on the test's own database only (never the shared server):
// refusing writes (read-only transactions) and going away (no connections accepted).
const onServer = (statements: string[]) => adminQuery(process.env.TEST_DATABASE_URL!, ...statements);
const nameOf = (handle: DbHandle) => new URL(handle.url!).pathname.slice(1);
const dropConnections = (name: string) =>
  `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`;

export async function refuseWrites(handle: DbHandle, refuse: boolean) {
  if (handle.pglite) return void (await handle.pglite.exec(`set default_transaction_read_only = ${refuse ? 'on' : 'off'}`));
  const name = nameOf(handle);
  await onServer([`alter database ${name} set default_transaction_read_only = ${refuse ? 'on' : 'off'}`, dropConnections(name)]);
}

// PostgreSQL: the database stops accepting connections and every open one is ended, as when the
// server goes away. PGlite has no server to lose: its handle is closed (for good).
export async function takeDatabaseAway(handle: DbHandle) {
  if (handle.pglite) return void (await handle.pglite.close());
  const name = nameOf(handle);
  await onServer([`alter database ${name} allow_connections false`, dropConnections(name)]);
}

export async function bringDatabaseBack(handle: DbHandle) {
  await onServer([`alter database ${nameOf(handle)} allow_connections true`]);
}
