import { and, asc, count, desc, eq, gt, ilike, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import {
  newsletterConsentEvents,
  newsletterSubscriberDeletions,
  newsletterSubscriberTopics,
  newsletterSubscribers,
  newsletterTopics,
  type SubscriberStatus,
} from './tables.ts';

export type Subscriber = typeof newsletterSubscribers.$inferSelect;
export type NewSubscriber = typeof newsletterSubscribers.$inferInsert;
export type SubscriberChanges = Partial<Omit<NewSubscriber, 'id' | 'email' | 'createdAt'>>;
export type NewConsentEvent = typeof newsletterConsentEvents.$inferInsert;
// Staff's list of subscribers: a search box and a status.
export type SubscriberFilter = { q: string; status: SubscriberStatus | '' };

// Written out in full: inside a select list Drizzle leaves column names unqualified, and an
// unqualified "id" in this subquery would mean the topic's id, not the subscriber's.
const topicNamesSql = sql<string>`coalesce((select string_agg(t.name, '; ' order by t.name) from newsletter_subscriber_topics st join newsletter_topics t on t.id = st.topic_id where st.subscriber_id = newsletter_subscribers.id), '')`;

const listColumns = {
  id: newsletterSubscribers.id,
  email: newsletterSubscribers.email,
  name: newsletterSubscribers.name,
  status: newsletterSubscribers.status,
  consentedAt: newsletterSubscribers.consentedAt,
  source: newsletterSubscribers.source,
  createdAt: newsletterSubscribers.createdAt,
  topics: topicNamesSql,
};

const filterWhere = ({ q, status }: SubscriberFilter): SQL | undefined => {
  const parts: SQL[] = [];
  if (status) parts.push(eq(newsletterSubscribers.status, status));
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(or(ilike(newsletterSubscribers.email, like), ilike(newsletterSubscribers.name, like))!);
  }
  return parts.length ? and(...parts) : undefined;
};

// Subscribers, the topics they chose and their consent record. Drizzle queries only: rules live in
// subscribers.ts and subscriber-admin.ts. Inside a transaction, make one with the transaction.
export function createSubscribersRepository(db: Db) {
  return {
    async byEmail(email: string): Promise<Subscriber | undefined> {
      return (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)))[0];
    },

    async byId(id: number): Promise<Subscriber | undefined> {
      return (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.id, id)))[0];
    },

    // The row, locked until the caller's transaction ends.
    async lockByEmail(email: string): Promise<Subscriber | undefined> {
      return (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)).for('update'))[0];
    },

    async lockById(id: number): Promise<Subscriber | undefined> {
      return (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.id, id)).for('update'))[0];
    },

    async insert(values: NewSubscriber): Promise<number> {
      const [row] = await db.insert(newsletterSubscribers).values(values).returning({ id: newsletterSubscribers.id });
      return row!.id;
    },

    async update(id: number, changes: SubscriberChanges): Promise<void> {
      await db.update(newsletterSubscribers).set(changes).where(eq(newsletterSubscribers.id, id));
    },

    async confirmExpiry(tokenHash: string): Promise<{ expires: Date | null } | undefined> {
      const [row] = await db
        .select({ expires: newsletterSubscribers.confirmExpiresAt })
        .from(newsletterSubscribers)
        .where(eq(newsletterSubscribers.confirmTokenHash, tokenHash));
      return row;
    },

    // Applies the changes to the row holding this confirmation token, if it has not expired by
    // `at`, in one statement; the row as changed, or undefined when no such token is live.
    async claimConfirmToken(tokenHash: string, at: Date, changes: SubscriberChanges): Promise<Subscriber | undefined> {
      const [row] = await db
        .update(newsletterSubscribers)
        .set(changes)
        .where(and(eq(newsletterSubscribers.confirmTokenHash, tokenHash), gt(newsletterSubscribers.confirmExpiresAt, at)))
        .returning();
      return row;
    },

    // Sign-ups never confirmed whose link expired before the cutoff (or that never had one).
    async deleteUnconfirmed(expiredBefore: Date): Promise<number> {
      const gone = await db
        .delete(newsletterSubscribers)
        .where(
          and(
            eq(newsletterSubscribers.status, 'pending'),
            isNull(newsletterSubscribers.consentedAt),
            or(isNull(newsletterSubscribers.confirmExpiresAt), lt(newsletterSubscribers.confirmExpiresAt, expiredBefore)),
          ),
        )
        .returning({ id: newsletterSubscribers.id });
      return gone.length;
    },

    async topicIdsOf(subscriberId: number): Promise<number[]> {
      const rows = await db
        .select({ id: newsletterSubscriberTopics.topicId })
        .from(newsletterSubscriberTopics)
        .where(eq(newsletterSubscriberTopics.subscriberId, subscriberId));
      return rows.map((r) => r.id).sort((a, b) => a - b);
    },

    async topicNamesOf(subscriberId: number): Promise<string[]> {
      const rows = await db
        .select({ name: newsletterTopics.name })
        .from(newsletterSubscriberTopics)
        .innerJoin(newsletterTopics, eq(newsletterTopics.id, newsletterSubscriberTopics.topicId))
        .where(eq(newsletterSubscriberTopics.subscriberId, subscriberId));
      return rows.map((r) => r.name);
    },

    async replaceTopics(subscriberId: number, topicIds: number[]): Promise<void> {
      await db.delete(newsletterSubscriberTopics).where(eq(newsletterSubscriberTopics.subscriberId, subscriberId));
      if (topicIds.length) await db.insert(newsletterSubscriberTopics).values(topicIds.map((topicId) => ({ subscriberId, topicId })));
    },

    // Erases the subscriber: their topics, consent record and places on recipient lists go with the
    // row (foreign keys cascade). Whether there was one to delete.
    async deleteById(id: number): Promise<boolean> {
      const gone = await db
        .delete(newsletterSubscribers)
        .where(eq(newsletterSubscribers.id, id))
        .returning({ id: newsletterSubscribers.id });
      return gone.length > 0;
    },

    // One more deletion on this day's anonymous count.
    async countDeletion(day: string): Promise<void> {
      await db
        .insert(newsletterSubscriberDeletions)
        .values({ day, count: 1 })
        .onConflictDoUpdate({ target: newsletterSubscriberDeletions.day, set: { count: sql`${newsletterSubscriberDeletions.count} + 1` } });
    },

    async deletionsTotal(): Promise<number> {
      const [row] = await db
        .select({ n: sql<string>`coalesce(sum(${newsletterSubscriberDeletions.count}), 0)` })
        .from(newsletterSubscriberDeletions);
      return Number(row?.n ?? 0);
    },

    async insertConsentEvent(event: NewConsentEvent): Promise<void> {
      await db.insert(newsletterConsentEvents).values(event);
    },

    consentHistory(subscriberId: number) {
      return db
        .select()
        .from(newsletterConsentEvents)
        .where(eq(newsletterConsentEvents.subscriberId, subscriberId))
        .orderBy(newsletterConsentEvents.at, newsletterConsentEvents.id);
    },

    // --- staff's list ---

    async search(filter: SubscriberFilter, page: { limit: number; offset: number }) {
      const where = filterWhere(filter);
      const [items, [total]] = await Promise.all([
        db
          .select(listColumns)
          .from(newsletterSubscribers)
          .where(where)
          .orderBy(desc(newsletterSubscribers.id))
          .limit(page.limit)
          .offset(page.offset),
        db.select({ n: count() }).from(newsletterSubscribers).where(where),
      ]);
      return { items, total: Number(total?.n ?? 0) };
    },

    async countsByStatus(): Promise<Record<string, number>> {
      const rows = await db
        .select({ status: newsletterSubscribers.status, n: count() })
        .from(newsletterSubscribers)
        .groupBy(newsletterSubscribers.status);
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    async listed(id: number) {
      const [row] = await db
        .select({ ...listColumns, language: newsletterSubscribers.language })
        .from(newsletterSubscribers)
        .where(eq(newsletterSubscribers.id, id));
      return row;
    },

    // The next `limit` matching subscribers after `afterId`, oldest first.
    listedAfter(filter: SubscriberFilter, afterId: number, limit: number) {
      const where = filterWhere(filter);
      return db
        .select(listColumns)
        .from(newsletterSubscribers)
        .where(where ? and(where, gt(newsletterSubscribers.id, afterId)) : gt(newsletterSubscribers.id, afterId))
        .orderBy(asc(newsletterSubscribers.id))
        .limit(limit);
    },
  };
}
export type SubscribersRepository = ReturnType<typeof createSubscribersRepository>;
