// How to put a test database back as the template left it, for either database: the plan is read
// once per worker from a database newly copied from the template (its tables, sequences and the
// rows of its non-empty tables), and each copy keeps those rows in a schema of its own that the
// reset leaves alone (ADR 14, "one PGlite per worker, put back between files", and "PostgreSQL
// databases put back too").

// Where each copy keeps the template's rows.
const ROWS_SCHEMA = 'test_template_rows';

// The little of a driver the plan needs: PGlite and a pg.Client both have it (exec runs several
// statements at once).
export type SqlClient = {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(text: string): Promise<unknown>;
};

export type ResetPlan = {
  // Every table and sequence outside the system schemas, to tell a database whose schema a test changed.
  signature: string;
  // Run once in each copy of the template: copies the rows of its non-empty tables.
  keepRowsSql: string;
  // Every table that holds rows (partitions included, partitioned tables not).
  tables: string[];
  // Puts the kept rows back into the emptied tables and sets every sequence where the template left it.
  refillSql: string;
};

// A table is emptied with `delete`: a few milliseconds for the lot, where a `truncate` of every
// table gives each a new file and took about 0.1 s on PGlite and 0.3 s on PostgreSQL, as long as
// copying the template again. The rows deleted stay as dead rows until a vacuum (PGlite has no
// autovacuum), so a table that has grown past this size, its indexes included, is truncated instead.
const TRUNCATE_ABOVE_BYTES = 1024 * 1024;

// Empties every table and puts the template's rows back; false, with nothing changed, when a test
// added or dropped a table or sequence (the database cannot be put back).
export async function putBack(client: SqlClient, plan: ResetPlan): Promise<boolean> {
  if ((await signatureOf(client)) !== plan.signature) return false;
  await client.exec(await resetSql(client, plan));
  return true;
}

async function resetSql(client: SqlClient, plan: ResetPlan): Promise<string> {
  const { rows } = await client.query<{ name: string }>(
    `select name from unnest($1::text[]) as name where pg_total_relation_size(name::regclass) > ${TRUNCATE_ABOVE_BYTES}`,
    [plan.tables],
  );
  const big = new Set(rows.map((r) => r.name));
  return [
    'set session_replication_role = replica;',
    big.size ? `truncate table ${[...big].join(', ')} cascade;` : '',
    ...plan.tables.filter((name) => !big.has(name)).map((name) => `delete from only ${name};`),
    plan.refillSql,
  ].join('\n');
}

const userRelations = (kinds: string) => `
  select format('%I.%I', n.nspname, c.relname) as name, c.relkind as kind
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in (${kinds}) and n.nspname not in ('information_schema', '${ROWS_SCHEMA}') and n.nspname not like 'pg\\_%'
  order by 1`;

async function signatureOf(client: SqlClient) {
  const { rows } = await client.query<{ name: string; kind: string }>(userRelations(`'r', 'p', 'S'`));
  return rows.map((r) => `${r.kind}:${r.name}`).join(',');
}

export async function planReset(client: SqlClient): Promise<ResetPlan> {
  const signature = await signatureOf(client);
  const { rows: tables } = await client.query<{ name: string; kind: string }>(userRelations(`'r', 'p'`));
  const leaves = tables.filter((t) => t.kind === 'r').map((t) => t.name);
  const withRows = await nonEmpty(client, leaves);
  const columns = await insertableColumns(client, withRows);
  const copies = withRows.map((name, i) => ({ name, copy: `${ROWS_SCHEMA}.t${i}`, columns: columns.get(name)! }));
  const keepRowsSql = [
    `create schema ${ROWS_SCHEMA};`,
    ...copies.map(({ name, copy }) => `create table ${copy} as select * from only ${name};`),
  ].join('\n');
  const refillSql = [
    ...copies.map(({ name, copy, columns }) => `insert into ${name} (${columns}) overriding system value select ${columns} from ${copy};`),
    'set session_replication_role = default;',
    await setSequencesSql(client),
  ].join('\n');
  return { signature, keepRowsSql, tables: leaves, refillSql };
}

async function nonEmpty(client: SqlClient, tables: string[]) {
  if (!tables.length) return [];
  const probes = tables.map((name, i) => `select ${i} as i where exists (select 1 from only ${name})`);
  const { rows } = await client.query<{ i: number }>(probes.join(' union all '));
  return rows.map((r) => tables[r.i]!);
}

// The columns an insert may name: not dropped, not generated (identity columns are, with
// `overriding system value`).
async function insertableColumns(client: SqlClient, tables: string[]) {
  const { rows } = await client.query<{ name: string; columns: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name,
            string_agg(format('%I', a.attname), ', ' order by a.attnum) as columns
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where a.attnum > 0 and not a.attisdropped and a.attgenerated = '' and format('%I.%I', n.nspname, c.relname) = any($1)
     group by 1`,
    [tables],
  );
  return new Map(rows.map((r) => [r.name, r.columns]));
}

async function setSequencesSql(client: SqlClient) {
  const { rows: sequences } = await client.query<{ name: string; literal: string }>(
    `select format('%I.%I', schemaname, sequencename) as name, quote_literal(format('%I.%I', schemaname, sequencename)) as literal
     from pg_sequences where schemaname not in ('information_schema', '${ROWS_SCHEMA}') and schemaname not like 'pg\\_%' order by 1`,
  );
  if (!sequences.length) return '';
  const { rows } = await client.query<{ literal: string; last_value: string; is_called: boolean }>(
    sequences.map((s) => `select quote_literal(${s.literal}) as literal, last_value::text, is_called from ${s.name}`).join(' union all '),
  );
  const values = rows.map((r) => `(${r.literal}, ${r.last_value}::bigint, ${r.is_called})`).join(', ');
  return `select pg_catalog.setval(v.name::regclass, v.last_value, v.is_called) from (values ${values}) as v(name, last_value, is_called);`;
}
