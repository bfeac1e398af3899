import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import type { Translations } from '#src/lib/localised.ts';
import { newsletterSubscriberTopics, newsletterSubscribers, newsletterTopics } from './tables.ts';

export type Topic = typeof newsletterTopics.$inferSelect;

// The topics people can choose. Drizzle queries only: rules live in topics.ts.
export function createTopicsRepository(db: Db) {
  return {
    active(): Promise<Topic[]> {
      return db.select().from(newsletterTopics).where(isNull(newsletterTopics.archivedAt)).orderBy(asc(newsletterTopics.id));
    },

    // Archived ones too.
    everyTopic(): Promise<Topic[]> {
      return db.select().from(newsletterTopics);
    },

    // Every topic with how many active subscribers chose it.
    async withActiveCounts() {
      const rows = await db
        .select({
          topic: newsletterTopics,
          subscribers: sql<number>`count(${newsletterSubscribers.id})::int`,
        })
        .from(newsletterTopics)
        .leftJoin(newsletterSubscriberTopics, eq(newsletterSubscriberTopics.topicId, newsletterTopics.id))
        .leftJoin(
          newsletterSubscribers,
          and(eq(newsletterSubscribers.id, newsletterSubscriberTopics.subscriberId), eq(newsletterSubscribers.status, 'active')),
        )
        .groupBy(newsletterTopics.id)
        .orderBy(asc(newsletterTopics.id));
      return rows.map((r) => ({ ...r.topic, subscribers: Number(r.subscribers) }));
    },

    byIds(ids: number[]): Promise<Topic[]> {
      return db.select().from(newsletterTopics).where(inArray(newsletterTopics.id, ids)).orderBy(asc(newsletterTopics.id));
    },

    // Whether another topic has this name, ignoring case.
    async nameTaken(name: string, exceptId?: number): Promise<boolean> {
      const where = exceptId
        ? and(sql`lower(${newsletterTopics.name}) = ${name.toLowerCase()}`, ne(newsletterTopics.id, exceptId))
        : sql`lower(${newsletterTopics.name}) = ${name.toLowerCase()}`;
      const [row] = await db.select({ id: newsletterTopics.id }).from(newsletterTopics).where(where).limit(1);
      return !!row;
    },

    // The new topic's id, or undefined when the name is taken.
    async insert(name: string, translations: Translations): Promise<number | undefined> {
      const [row] = await db
        .insert(newsletterTopics)
        .values({ name, translations })
        .onConflictDoNothing()
        .returning({ id: newsletterTopics.id });
      return row?.id;
    },

    async insertMissing(topics: { name: string; translations?: Translations }[]): Promise<void> {
      await db
        .insert(newsletterTopics)
        .values(topics.map((t) => ({ name: t.name, translations: t.translations ?? {} })))
        .onConflictDoNothing();
    },

    // The topic's id, or undefined when there is no such topic.
    async rename(id: number, name: string, translations: Translations): Promise<number | undefined> {
      const [row] = await db
        .update(newsletterTopics)
        .set({ name, translations })
        .where(eq(newsletterTopics.id, id))
        .returning({ id: newsletterTopics.id });
      return row?.id;
    },

    async setArchivedAt(id: number, archivedAt: Date | null): Promise<boolean> {
      const rows = await db
        .update(newsletterTopics)
        .set({ archivedAt })
        .where(eq(newsletterTopics.id, id))
        .returning({ id: newsletterTopics.id });
      return rows.length > 0;
    },
  };
}
