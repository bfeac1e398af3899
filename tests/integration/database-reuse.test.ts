import { readFile } from 'node:fs/promises';
import { afterAll, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { openTestDatabase, testDbKind } from '#tests/helpers/database.ts';
import { refuseWrites } from '#tests/helpers/database-faults.ts';
import { createStory } from '#tests/helpers/factories.ts';

// A test file's database is the template as it was made, whatever the file before did with its
// own. On PGlite a worker hands the next file an instance an earlier file gave back
// (tests/helpers/pglite-reuse.ts), so the reset must undo rows added, changed and deleted,
// sequences moved, session settings, temporary tables and a transaction left open.

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
  return { tables: rows, sequences: positions, session: { ...session, inOpenTransaction } };
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
  // On PGlite it is the same instance, put back: what this test is about.
  if (testDbKind === 'pglite') expect(next.pglite).toBe(used.pglite);
  expect(await stateOf(next)).toEqual(template);
});
