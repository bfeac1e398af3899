import type { DbHandle } from '#src/db/client.ts';
import { acquirePglite } from './pglite-reuse.ts';
import { acquirePostgres } from './postgres-reuse.ts';

// Each test file gets its own database, a copy of the migrated template the run made once
// (tests/helpers/database-template.ts): an in-memory PGlite as the template's tarball left it (one
// the worker has put back after an earlier file, or newly loaded: ./pglite-reuse.ts), or (in the
// postgres project, when TEST_DATABASE_URL is set) a PostgreSQL database put back the same way, or
// newly created from the template database (./postgres-reuse.ts).
export const testDbKind = process.env.TEST_DB_KIND === 'postgres' ? 'postgres' : 'pglite';

export async function openTestDatabase(): Promise<DbHandle> {
  return testDbKind === 'pglite' ? acquirePglite() : acquirePostgres();
}
