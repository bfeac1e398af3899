import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { TopicSchema } from './schema.ts';
import { newsletterSubscriberTopics, newsletterSubscribers, newsletterTopics } from './tables.ts';

export type Topic = typeof newsletterTopics.$inferSelect;
export type TopicWithCount = Topic & { subscribers: number };
type TopicResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

export const demoTopics = ['News and stories', 'Opportunities to get involved', 'Research findings'];

// Staff manage the topics people can choose; people see only the ones that are not archived.
export function createTopicsService(db: Db) {
  const nameTaken = async (name: string, exceptId?: number) => {
    const where = exceptId
      ? and(sql`lower(${newsletterTopics.name}) = ${name.toLowerCase()}`, ne(newsletterTopics.id, exceptId))
      : sql`lower(${newsletterTopics.name}) = ${name.toLowerCase()}`;
    const [row] = await db.select({ id: newsletterTopics.id }).from(newsletterTopics).where(where).limit(1);
    return !!row;
  };
  const taken: FieldErrors = { name: 'There is already a topic with that name' };

  return {
    active(runner: Db = db): Promise<Topic[]> {
      return runner.select().from(newsletterTopics).where(isNull(newsletterTopics.archivedAt)).orderBy(asc(newsletterTopics.id));
    },

    // Every topic with how many active subscribers chose it.
    async all(): Promise<TopicWithCount[]> {
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

    async byIds(ids: number[], runner: Db = db): Promise<Topic[]> {
      if (!ids.length) return [];
      return runner.select().from(newsletterTopics).where(inArray(newsletterTopics.id, ids)).orderBy(asc(newsletterTopics.id));
    },

    async add(body: unknown): Promise<TopicResult> {
      const v = validateForm(TopicSchema, body);
      if (!v.ok) return v;
      if (await nameTaken(v.value.name)) return { ok: false, errors: taken };
      const [row] = await db
        .insert(newsletterTopics)
        .values({ name: v.value.name })
        .onConflictDoNothing()
        .returning({ id: newsletterTopics.id });
      return row ? { ok: true, id: row.id } : { ok: false, errors: taken };
    },

    async rename(id: number, body: unknown): Promise<TopicResult | { ok: false; missing: true }> {
      const v = validateForm(TopicSchema, body);
      if (!v.ok) return v;
      if (await nameTaken(v.value.name, id)) return { ok: false, errors: taken };
      const [row] = await db
        .update(newsletterTopics)
        .set({ name: v.value.name })
        .where(eq(newsletterTopics.id, id))
        .returning({ id: newsletterTopics.id });
      return row ? { ok: true, id: row.id } : { ok: false, missing: true };
    },

    async setArchived(id: number, archived: boolean): Promise<boolean> {
      const rows = await db
        .update(newsletterTopics)
        .set({ archivedAt: archived ? new Date() : null })
        .where(eq(newsletterTopics.id, id))
        .returning({ id: newsletterTopics.id });
      return rows.length > 0;
    },
  };
}
export type TopicsService = ReturnType<typeof createTopicsService>;
