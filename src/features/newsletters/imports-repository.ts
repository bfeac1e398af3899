import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import {
  newsletterConsentEvents,
  newsletterImports,
  newsletterSubscriberTopics,
  newsletterSubscribers,
  type SubscriberStatus,
} from './tables.ts';

type NewSubscriber = typeof newsletterSubscribers.$inferInsert;
type SubscriberChanges = Partial<Omit<NewSubscriber, 'id' | 'email' | 'createdAt'>>;
type IdAndEmail = { id: number; email: string };

// What a subscriber import reads and writes, a chunk at a time. Drizzle queries only: which rows
// are taken and what they record is decided in import.ts. Inside a transaction, make one with it.
export function createImportsRepository(db: Db) {
  return {
    async insertImport(values: typeof newsletterImports.$inferInsert): Promise<number> {
      const [row] = await db.insert(newsletterImports).values(values).returning({ id: newsletterImports.id });
      return row!.id;
    },

    async staffUserIdOf(importId: number): Promise<string | null | undefined> {
      const [row] = await db
        .select({ staffUserId: newsletterImports.staffUserId })
        .from(newsletterImports)
        .where(eq(newsletterImports.id, importId));
      return row?.staffUserId;
    },

    recent: (limit: number) =>
      db
        .select({
          id: newsletterImports.id,
          filename: newsletterImports.filename,
          status: newsletterImports.status,
          createdAt: newsletterImports.createdAt,
          importedCount: newsletterImports.importedCount,
          rejectedCount: newsletterImports.rejectedCount,
        })
        .from(newsletterImports)
        .orderBy(desc(newsletterImports.id))
        .limit(limit),

    // The status of each of these addresses that is already on the list.
    async statusesOf(emails: string[]): Promise<Map<string, SubscriberStatus>> {
      const found = await db
        .select({ email: newsletterSubscribers.email, status: newsletterSubscribers.status })
        .from(newsletterSubscribers)
        .where(inArray(newsletterSubscribers.email, emails));
      return new Map(found.map((f) => [f.email, f.status]));
    },

    // Changes the address's row only while it is still waiting for confirmation.
    async updateIfPending(email: string, changes: SubscriberChanges): Promise<IdAndEmail | undefined> {
      const [row] = await db
        .update(newsletterSubscribers)
        .set(changes)
        .where(and(eq(newsletterSubscribers.email, email), eq(newsletterSubscribers.status, 'pending')))
        .returning({ id: newsletterSubscribers.id, email: newsletterSubscribers.email });
      return row;
    },

    // Adds the addresses not on the list yet; those that are (signed up meanwhile) are left alone.
    insertNew(rows: NewSubscriber[]): Promise<IdAndEmail[]> {
      return db
        .insert(newsletterSubscribers)
        .values(rows)
        .onConflictDoNothing({ target: newsletterSubscribers.email })
        .returning({ id: newsletterSubscribers.id, email: newsletterSubscribers.email });
    },

    async insertSubscriberTopics(rows: { subscriberId: number; topicId: number }[]): Promise<void> {
      await db.insert(newsletterSubscriberTopics).values(rows);
    },

    async insertConsentEvents(rows: (typeof newsletterConsentEvents.$inferInsert)[]): Promise<void> {
      await db.insert(newsletterConsentEvents).values(rows);
    },
  };
}
