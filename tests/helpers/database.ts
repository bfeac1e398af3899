import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { acquirePglite } from './pglite-reuse.ts';

// Each test file gets its own database, a copy of the migrated template the run made once
// (tests/helpers/database-template.ts): an in-memory PGlite as the template's tarball left it (one
// the worker has put back after an earlier file, or newly loaded: ./pglite-reuse.ts), or (in the
// postgres project, when TEST_DATABASE_URL is set) a PostgreSQL database created from the template
// database and dropped afterwards.
export const testDbKind = process.env.TEST_DB_KIND === 'postgres' ? 'postgres' : 'pglite';

export async function openTestDatabase(): Promise<DbHandle> {
  if (testDbKind === 'pglite') return acquirePglite();
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DB_KIND=postgres needs TEST_DATABASE_URL');
  const name = `coproduce_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  const close = handle.close;
  handle.close = async () => {
    await close();
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  };
  return handle;
}
