import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from './client.ts';
import { rowsOf } from './rows.ts';
import { executeNamed } from './named-statement.ts';
import { openTestDatabase } from '#tests/helpers/database.ts';

let database: DbHandle;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const doubled = (n: number) => sql`select ${n}::int * 2 as n, ${`text ${n}`}::text as label`;

it('answers with each call’s own values, inside and outside a transaction', async () => {
  for (const n of [1, 2, 3, 4, 5, 6, 7]) {
    expect(rowsOf<{ n: number; label: string }>(await executeNamed(database.db, 'test_doubled', doubled(n)))).toEqual([
      { n: n * 2, label: `text ${n}` },
    ]);
  }
  await database.db.transaction(async (tx) => {
    expect(rowsOf(await executeNamed(tx, 'test_doubled', doubled(21)))).toEqual([{ n: 42, label: 'text 21' }]);
  });
});

it('is prepared once on a PostgreSQL connection and kept there under its name', async () => {
  // One connection for both statements: a transaction's.
  const prepared = await database.db.transaction(async (tx) => {
    await executeNamed(tx, 'test_kept', doubled(1));
    await executeNamed(tx, 'test_kept', doubled(2));
    return rowsOf<{ name: string }>(await tx.execute(sql`select name from pg_prepared_statements where name = 'test_kept'`));
  });
  // PGlite runs it as an unnamed statement, as db.execute does.
  expect(prepared).toEqual(database.kind === 'postgres' ? [{ name: 'test_kept' }] : []);
});
