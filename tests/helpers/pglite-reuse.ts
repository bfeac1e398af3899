import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import type { DbHandle } from '#src/db/client.ts';
import { pgliteHandle, pgliteOptions } from '#src/db/pglite.ts';
import { keepWebAssemblyOnBaselineCompiler } from '#src/db/wasm-compiler.ts';

// Loading the template tarball into a new PGlite costs each test file 0.4–0.9 s and a fresh
// WebAssembly heap; putting an instance a file has finished with back as the template left it
// costs a rollback, a `discard all`, one truncate and a few inserts (ADR 14, "Later").
// Each worker keeps up to MAX_SPARE instances; a file that opens two databases at once gets two.
const MAX_SPARE = 2;
// Where each instance keeps its own copy of the template's rows; the reset leaves it alone.
const ROWS_SCHEMA = 'test_template_rows';

type ResetPlan = {
  // Every table and sequence outside the system schemas, to tell an instance whose schema a test changed.
  signature: string;
  // Run once in each instance loaded from the template: copies the rows of its non-empty tables.
  keepRowsSql: string;
  // Empties every table, puts the kept rows back, and sets every sequence where the template left it.
  resetSql: string;
};

const spare: PGlite[] = [];
let template: Promise<Blob> | undefined;
let plan: Promise<ResetPlan> | undefined;

// A database as the template left it: a spare instance if the worker has one, else a newly loaded
// one. Its handle's close() gives it back (unless it was closed for good, as takeDatabaseAway does).
export async function acquirePglite(): Promise<DbHandle> {
  const client = spare.pop() ?? (await loadTemplate());
  const handle = pgliteHandle(client);
  let released = false;
  handle.close = async () => {
    if (released) return;
    released = true;
    await release(client);
  };
  return handle;
}

async function loadTemplate() {
  template ??= readFile(inject('pgliteTemplate')).then((bytes) => new Blob([bytes]));
  // Compiled as the server compiles it (src/db/wasm-compiler.ts).
  keepWebAssemblyOnBaselineCompiler();
  const client = await PGlite.create('memory://', { ...pgliteOptions(), loadDataDir: await template });
  plan ??= planReset(client);
  await client.exec((await plan).keepRowsSql);
  return client;
}

async function release(client: PGlite) {
  if (client.closed) return;
  if (spare.length >= MAX_SPARE || !(await resetToTemplate(client))) return client.close();
  spare.push(client);
}

// False when the instance cannot be put back (a test added or dropped a table or sequence).
export async function resetToTemplate(client: PGlite): Promise<boolean> {
  const { resetSql, signature } = await plan!;
  try {
    // A test may have left a transaction open (or failed), and changed session settings, made
    // temporary tables or listened; `discard all` must run on its own, outside any transaction.
    await client.exec('rollback');
    await client.exec('discard all');
    if ((await signatureOf(client)) !== signature) return false;
    await client.exec(resetSql);
    return true;
  } catch (err) {
    await client.close();
    throw err;
  }
}

const userRelations = (kinds: string) => `
  select format('%I.%I', n.nspname, c.relname) as name, c.relkind as kind
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in (${kinds}) and n.nspname not in ('information_schema', '${ROWS_SCHEMA}') and n.nspname not like 'pg\\_%'
  order by 1`;

async function signatureOf(client: PGlite) {
  const { rows } = await client.query<{ name: string; kind: string }>(userRelations(`'r', 'p', 'S'`));
  return rows.map((r) => `${r.kind}:${r.name}`).join(',');
}

async function planReset(client: PGlite): Promise<ResetPlan> {
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
  const resetSql = [
    'set session_replication_role = replica;',
    `truncate table ${tables.map((t) => t.name).join(', ')} cascade;`,
    ...copies.map(({ name, copy, columns }) => `insert into ${name} (${columns}) overriding system value select ${columns} from ${copy};`),
    'set session_replication_role = default;',
    await setSequencesSql(client),
  ].join('\n');
  return { signature, keepRowsSql, resetSql };
}

async function nonEmpty(client: PGlite, tables: string[]) {
  if (!tables.length) return [];
  const probes = tables.map((name, i) => `select ${i} as i where exists (select 1 from only ${name})`);
  const { rows } = await client.query<{ i: number }>(probes.join(' union all '));
  return rows.map((r) => tables[r.i]!);
}

// The columns an insert may name: not dropped, not generated (identity columns are, with
// `overriding system value`).
async function insertableColumns(client: PGlite, tables: string[]) {
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

async function setSequencesSql(client: PGlite) {
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
