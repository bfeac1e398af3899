import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from './client.ts';
import { rowsOf } from './rows.ts';
import { arrayLiteral, arrayParam } from './array-param.ts';
import { openTestDatabase } from '#tests/helpers/database.ts';

let database: DbHandle;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

// What a register or an import can hold, written and read back through the database itself.
const awkward = [
  'plain',
  '',
  'NULL',
  'null',
  'with "double quotes"',
  'back\\slash and \\" both',
  'comma, {braces} and ;semicolons;',
  'line one\nline two\r\n\ttab',
  '  spaces kept  ',
  "it's",
  'Ŵyn ap Llŷr – café 👋',
  null,
];

describe('arrayParam: a column of a bulk insert as one array literal', () => {
  it('gives the database back every string exactly, with nulls as nulls and empty strings as strings', async () => {
    const rows = rowsOf<{ i: number; v: string | null }>(
      await database.db.execute(
        sql`select i::int as i, v from unnest(${arrayParam(awkward)}::text[]) with ordinality as t(v, i) order by i`,
      ),
    );
    expect(rows.map((r) => r.v)).toEqual(awkward);
  });

  it('writes numbers, booleans and dates as the casts read them', async () => {
    const [row] = rowsOf<{ ints: number[]; flags: boolean[]; days: string[] }>(
      await database.db.execute(sql`
        select ${arrayParam([3, -1, 0])}::int[] as ints, ${arrayParam([true, false, null])}::boolean[] as flags,
          array(select to_char(d at time zone 'UTC', 'YYYY-MM-DD HH24:MI') from unnest(${arrayParam(['2024-03-05T10:30:00.000Z', null])}::timestamptz[]) d) as days`),
    );
    expect(row!.ints).toEqual([3, -1, 0]);
    expect(row!.flags).toEqual([true, false, null]);
    expect(row!.days).toEqual(['2024-03-05 10:30', null]);
  });

  it('is an empty array for no values', async () => {
    expect(arrayLiteral([])).toBe('{}');
    const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`select cardinality(${arrayParam([])}::text[])::int as n`));
    expect(row!.n).toBe(0);
  });
});
