import { sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { slugify } from '#src/lib/text.ts';
import type { Db, Tx } from './client.ts';

// Slugs that must be unique in one table (a feature gives its own table and column): which are
// taken, and the first free one of a title's: the title's own, then -2, -3 …

// The slugs in the column that are `base` or `base-…`.
export async function takenSlugs(runner: Db | Tx, table: PgTable, column: PgColumn, base: string): Promise<Set<string>> {
  const rows = await runner
    .select({ slug: sql<string>`${column}` })
    .from(table)
    .where(sql`${column} = ${base} or ${column} like ${base + '-%'}`);
  return new Set(rows.map((r) => r.slug));
}

export function firstFreeSlug(base: string, taken: Set<string>): string {
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

// The title's slug (cut to `max` characters, or `fallback` when it has no letters or digits),
// made unique in the column.
export async function freeSlug(
  runner: Db | Tx,
  table: PgTable,
  column: PgColumn,
  title: string,
  fallback: string,
  max = 60,
): Promise<string> {
  const base = slugify(title).slice(0, max) || fallback;
  return firstFreeSlug(base, await takenSlugs(runner, table, column, base));
}
