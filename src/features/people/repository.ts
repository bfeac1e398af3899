import { desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { contributorNotes } from './tables.ts';

// Staff notes about contributors. Drizzle queries only; rules live in the service.
export function createNotesRepository(db: Db) {
  return {
    // Newest first, with the author's account id (names come from identity).
    async of(subjectUserId: string) {
      return db
        .select({
          id: contributorNotes.id,
          body: contributorNotes.body,
          createdAt: contributorNotes.createdAt,
          authorUserId: contributorNotes.authorUserId,
        })
        .from(contributorNotes)
        .where(eq(contributorNotes.subjectUserId, subjectUserId))
        .orderBy(desc(contributorNotes.createdAt), desc(contributorNotes.id));
    },

    async add(row: { subjectUserId: string; authorUserId: string; body: string }, runner: Db | Tx = db) {
      const [note] = await runner.insert(contributorNotes).values(row).returning({ id: contributorNotes.id });
      return note!.id;
    },

    // For "Download my data": that notes exist and when, never what they say.
    async datesOf(subjectUserId: string): Promise<Date[]> {
      const rows = await db
        .select({ createdAt: contributorNotes.createdAt })
        .from(contributorNotes)
        .where(eq(contributorNotes.subjectUserId, subjectUserId))
        .orderBy(desc(contributorNotes.createdAt));
      return rows.map((r) => r.createdAt);
    },
  };
}
