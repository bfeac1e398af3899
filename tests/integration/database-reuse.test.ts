import { readFile } from 'node:fs/promises';
import { afterAll, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { openTestDatabase, testDbKind } from '#tests/helpers/database.ts';
import { refuseWrites } from '#tests/helpers/database-faults.ts';
import { adminQuery } from '#tests/helpers/postgres-admin.ts';
import { whyNotReused } from '#tests/helpers/postgres-reuse.ts';
import { createStory } from '#tests/helpers/factories.ts';

// A test file's database is the template as it was made, whatever the file before did with its
// own. A worker hands the next file a database an earlier file gave back (a PGlite instance,
// tests/helpers/pglite-reuse.ts; a PostgreSQL database, tests/helpers/postgres-reuse.ts), so the
// reset must undo rows added, changed and deleted and sequences moved, and on PGlite, where the next
// file gets the same session, session settings, temporary tables and a transaction left open.

async function freshTemplateDatabase(): Promise<DbHandle> {
  if (testDbKind === 'postgres') return openTestDatabase();
  return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([await readFile(inject('pgliteTemplate'))]) });
}

const query = async <T>(handle: DbHandle, text: string) => rowsOf<T>(await handle.db.execute(sql.raw(text)));

// Every table's row count and contents, every sequence's position, and the session's state.
async function stateOf(handle: DbHandle) {
  const tables = await query<{ name: string }>(
    handle,
    `select format('%I.%I', n.nspname, c.relname) as name
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and n.nspname not in ('information_schema', 'test_template_rows') and n.nspname not like 'pg\\_%'
     order by 1`,
  );
  const rows = await query<{ name: string; count: number; digest: string }>(
    handle,
    tables
      .map(
        ({ name }) =>
          `select '${name}' as name, count(*)::int as count, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from only ${name} as t`,
      )
      .join(' union all '),
  );
  const sequences = await query<{ name: string }>(
    handle,
    `select format('%I.%I', schemaname, sequencename) as name from pg_sequences
     where schemaname not in ('information_schema', 'test_template_rows') and schemaname not like 'pg\\_%' order by 1`,
  );
  const positions = await query<{ name: string; last_value: string; is_called: boolean }>(
    handle,
    sequences.map(({ name }) => `select '${name}' as name, last_value::text, is_called from ${name}`).join(' union all '),
  );
  const [session] = await query<Record<string, unknown>>(
    handle,
    `select current_setting('default_transaction_read_only') as read_only, current_setting('statement_timeout') as statement_timeout,
            (select count(*)::int from pg_class where relpersistence = 't') as temporary_tables`,
  );
  // Two statements share a transaction id only inside one transaction (a transaction left open).
  const xid = async () => (await query<{ xid: string }>(handle, 'select pg_current_xact_id()::text as xid'))[0]!.xid;
  const first = await xid();
  const inOpenTransaction = first === (await xid());
  // (A `union all` of many selects comes back in any order: PostgreSQL may run its parts in parallel.)
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return { tables: rows.sort(byName), sequences: positions.sort(byName), session: { ...session, inOpenTransaction } };
}

const opened: DbHandle[] = [];
afterAll(async () => {
  for (const handle of opened) await handle.close();
});

it(`gives the next file its database as the template left it, whatever the last file did (${testDbKind})`, async () => {
  const used = await openTestDatabase();
  const fresh = await freshTemplateDatabase();
  opened.push(fresh);
  const template = await stateOf(fresh);
  expect(template.tables.filter((t) => t.count > 0).length).toBeGreaterThan(0);

  await createStory(used.db, { slug: 'left-behind' });
  await query(used, `insert into standard_frameworks (key, name) values ('left-behind', 'Left behind')`);
  // A table grown past the size the reset deletes from (it truncates that one instead).
  await query(
    used,
    `insert into audit_events (action, details) select 'bulk', jsonb_build_object('pad', repeat('x', 900)) from generate_series(1, 1500)`,
  );
  await query(used, `delete from standards where framework_id = (select min(id) from standard_frameworks)`);
  await query(used, `update commitment_statuses set name = 'Changed'`);
  if (used.pglite) {
    // Session state matters only where the next file gets the same session (PostgreSQL's next
    // file gets a new database and new connections).
    await used.pglite.exec(`create temporary table scratch (id int); set statement_timeout = '12s'`);
    await refuseWrites(used, true);
    await used.pglite.exec('begin; select 1;');
  }
  const dirty = await stateOf(used);
  expect(dirty).not.toEqual(template);
  await used.close();

  const next = await openTestDatabase();
  opened.push(next);
  // It is the same instance or database, put back: what this test is about.
  if (testDbKind === 'pglite') expect(next.pglite).toBe(used.pglite);
  else expect(next.url, `not the database put back: ${whyNotReused(used.url!)}`).toBe(used.url);
  expect(await stateOf(next)).toEqual(template);
});

// PGlite: a session setting (the next file gets the same session). PostgreSQL: a setting kept in
// the database itself, which a reset of its rows would not undo, so that database is dropped.
it(`never gives the next file a database with settings a test gave it (${testDbKind})`, async () => {
  const used = await openTestDatabase();
  const name = used.url && new URL(used.url).pathname.slice(1);
  if (used.pglite) await refuseWrites(used, true);
  else await adminQuery(process.env.TEST_DATABASE_URL!, `alter database ${name} set statement_timeout = '12s'`);
  await used.close();
  const next = await openTestDatabase();
  opened.push(next);
  const [settings] = await query<{ ro: string; timeout: string }>(
    next,
    `select current_setting('default_transaction_read_only') as ro, current_setting('statement_timeout') as timeout`,
  );
  expect(settings).toEqual({ ro: 'off', timeout: '0' });
  if (used.pglite) return expect(next.pglite).toBe(used.pglite);
  expect(next.url).not.toBe(used.url);
  expect((await query<{ n: number }>(next, `select count(*)::int as n from pg_database where datname = '${name}'`))[0]!.n).toBe(0);
});
