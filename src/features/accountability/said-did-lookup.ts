import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { saidDidEntries } from './tables.ts';

// What the other areas of this feature need of "you said, we did" entries: those that advanced a
// commitment (shown on its page), and the list to link as evidence.

export const saidDidPath = (slug: string) => `/you-said-we-did/${slug}`;

export type SaidDidLink = { id: number; title: string; path: string; happenedOn: string };

export async function publishedEntriesForCommitment(db: Db | Tx, commitmentId: number): Promise<SaidDidLink[]> {
  const rows = await db
    .select({ id: saidDidEntries.id, title: saidDidEntries.title, slug: saidDidEntries.slug, happenedOn: saidDidEntries.happenedOn })
    .from(saidDidEntries)
    .where(and(eq(saidDidEntries.commitmentId, commitmentId), isNotNull(saidDidEntries.publishedAt)))
    .orderBy(desc(saidDidEntries.happenedOn));
  return rows.map((r) => ({ id: r.id, title: r.title, path: saidDidPath(r.slug), happenedOn: r.happenedOn }));
}

export async function publishedEntryOptions(db: Db | Tx): Promise<SaidDidLink[]> {
  const rows = await db
    .select({ id: saidDidEntries.id, title: saidDidEntries.title, slug: saidDidEntries.slug, happenedOn: saidDidEntries.happenedOn })
    .from(saidDidEntries)
    .where(isNotNull(saidDidEntries.publishedAt))
    .orderBy(desc(saidDidEntries.happenedOn));
  return rows.map((r) => ({ id: r.id, title: r.title, path: saidDidPath(r.slug), happenedOn: r.happenedOn }));
}
