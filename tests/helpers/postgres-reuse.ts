import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { adminQuery } from './postgres-admin.ts';
import { planReset, putBack, type ResetPlan, type SqlClient } from './reset-plan.ts';

// On PostgreSQL each test file's database was a new `CREATE DATABASE … TEMPLATE` and a drop at
// the end: about 0.3 s a file, most of it the server writing the 12 MB copy to its WAL. A worker
// now keeps up to MAX_SPARE databases that files have finished with, put back as the template left
// them the way PGlite instances are (./reset-plan.ts): the next file opens new connections to one.
// A database is dropped instead when something else is still connected to it, when a test changed
// its settings (read-only, connections refused: tests/helpers/database-faults.ts) or its tables,
// or when it cannot be put back for any other reason.
const MAX_SPARE = 2;
const spare: string[] = [];
let plan: Promise<ResetPlan> | undefined;

const adminUrl = () => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB_KIND=postgres needs TEST_DATABASE_URL');
  return url;
};
const urlOf = (name: string) => {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
};

// A connection to one copy, for reading its plan or putting it back.
async function withClient<T>(url: string, fn: (client: pg.Client & SqlClient) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(Object.assign(client, { exec: (text: string) => client.query(text) }));
  } finally {
    await client.end();
  }
}

export async function acquirePostgres(): Promise<DbHandle> {
  const name = spare.pop() ?? (await copyTemplate());
  const handle = await openDatabase({ databaseUrl: urlOf(name), poolSize: 5 });
  const close = handle.close;
  let released = false;
  handle.close = async () => {
    if (released) return;
    released = true;
    await close();
    await release(name);
  };
  return handle;
}

// Named after the run (all of whose leftovers the run's teardown drops, even after a crash of a
// worker) and this worker.
async function copyTemplate(): Promise<string> {
  const name = `${inject('postgresCopyPrefix')}${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl(), `create database ${name} template ${inject('postgresTemplate')}`);
  await withClient(urlOf(name), async (client) => {
    plan ??= planReset(client);
    await client.exec((await plan).keepRowsSql);
  });
  return name;
}

// Why this worker dropped a database instead of putting it back, by name: database-reuse.test.ts
// says it when the next file did not get the database it expected.
const dropped = new Map<string, string>();
export const whyNotReused = (url: string) =>
  dropped.get(new URL(url).pathname.slice(1)) ?? 'it was put back, but another database was handed out';

async function release(name: string) {
  const why =
    spare.length >= MAX_SPARE
      ? `the worker already kept ${MAX_SPARE}`
      : await reasonToDrop(name).catch((err: unknown) => `putting it back failed: ${(err as Error).message}`);
  if (!why) return void spare.push(name);
  dropped.set(name, why);
  await adminQuery(adminUrl(), `drop database if exists ${name} with (force)`);
}

// Null when the database was put back as the template left it; otherwise why it cannot be.
async function reasonToDrop(name: string): Promise<string | null> {
  return withClient(urlOf(name), async (client) => {
    const { rows } = await client.query<{ others: string | null; settings: number }>(
      `select (select string_agg(format('%s (%s, %s)', backend_type, state, left(query, 60)), '; ') from pg_stat_activity
               where datname = current_database() and pid <> pg_backend_pid()) as others,
              (select count(*)::int from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
               where d.datname = current_database()) as settings`,
    );
    if (rows[0]!.others) return `still connected: ${rows[0]!.others}`;
    if (rows[0]!.settings > 0) return 'a test gave it settings of its own';
    return (await putBack(client, await plan!)) ? null : 'a test changed its tables';
  });
}
