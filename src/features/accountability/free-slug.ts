import { sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '#src/db/client.ts';
import { slugify } from '#src/lib/text.ts';

// A slug no other row of the table has: the title's (or `fallback`), then -2, -3 … For any of this
// feature's tables with a unique `slug` column (entries now; commitments' freeCommitmentSlug is the
// same rule and may use it).
export async function freeSlug(runner: Db | Tx, table: PgTable, column: PgColumn, title: string, fallback: string): Promise<string> {
  const base = slugify(title).slice(0, 60) || fallback;
  const taken = await runner
    .select({ slug: sql<string>`${column}` })
    .from(table)
    .where(sql`${column} = ${base} or ${column} like ${base + '-%'}`);
  const used = new Set(taken.map((t) => t.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
