import { and, asc, eq, gt, inArray, lte, min, sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { newsletterRecipients, newsletterSubscribers, newsletters, type RecipientStatus } from '#src/features/newsletters/tables.ts';

export type DueRecipient = Awaited<ReturnType<SendingRepository['duePage']>>[number];

// The sender's reads and writes of newsletters and their recipient rows. Drizzle queries only:
// when to retry, skip or finish is decided in delivery.ts.
export function createSendingRepository(db: Db) {
  // Built once: putting the update together with Drizzle's builder took about 150 µs of CPU a
  // statement, and a send writes one for every few acceptances. Unnamed, as a named statement saved
  // nothing more and connection poolers in transaction mode may not keep one.
  const markSent = db
    .update(newsletterRecipients)
    .set({ status: 'sent', sentAt: sql`now()`, lastError: null })
    .where(sql`${newsletterRecipients.id} = any(${sql.placeholder('ids')})`)
    .prepare('');
  return {
    async newsletter(id: number) {
      const [n] = await db.select().from(newsletters).where(eq(newsletters.id, id));
      return n;
    },

    statusOf: async (id: number) =>
      (await db.select({ status: newsletters.status }).from(newsletters).where(eq(newsletters.id, id)))[0]?.status,

    sendingIds: () => db.select({ id: newsletters.id }).from(newsletters).where(eq(newsletters.status, 'sending')),

    // The next recipients still waiting whose time has come, after `afterId`, with whether the
    // person is still subscribed.
    duePage(id: number, afterId: number, limit: number) {
      return db
        .select({
          id: newsletterRecipients.id,
          subscriberId: newsletterRecipients.subscriberId,
          email: newsletterRecipients.email,
          name: newsletterRecipients.name,
          attempts: newsletterRecipients.attempts,
          subscriberStatus: newsletterSubscribers.status,
          language: newsletterSubscribers.language,
        })
        .from(newsletterRecipients)
        .innerJoin(newsletterSubscribers, eq(newsletterSubscribers.id, newsletterRecipients.subscriberId))
        .where(
          and(
            eq(newsletterRecipients.newsletterId, id),
            eq(newsletterRecipients.status, 'pending'),
            gt(newsletterRecipients.id, afterId),
            lte(newsletterRecipients.nextAttemptAt, new Date()),
          ),
        )
        .orderBy(asc(newsletterRecipients.id))
        .limit(limit);
    },

    // When the earliest recipient still waiting may be tried; null when nobody is waiting.
    async nextAttemptAt(id: number) {
      const [next] = await db
        .select({ at: min(newsletterRecipients.nextAttemptAt) })
        .from(newsletterRecipients)
        .where(and(eq(newsletterRecipients.newsletterId, id), eq(newsletterRecipients.status, 'pending')));
      return next?.at ?? null;
    },

    async markSent(recipientIds: number[]) {
      await markSent.execute({ ids: recipientIds });
    },

    async markSkipped(recipientIds: number[]) {
      await db.update(newsletterRecipients).set({ status: 'skipped' }).where(inArray(newsletterRecipients.id, recipientIds));
    },

    async recordFailure(
      recipientId: number,
      failure: { attempts: number; lastError: string; status: Extract<RecipientStatus, 'failed' | 'pending'>; nextAttemptAt: Date },
    ) {
      await db.update(newsletterRecipients).set(failure).where(eq(newsletterRecipients.id, recipientId));
    },

    // Sending → sent, but only once no recipient is still waiting.
    async completeIfNonePending(id: number) {
      await db
        .update(newsletters)
        .set({ status: 'sent', completedAt: new Date(), updatedAt: new Date() })
        .where(
          and(
            eq(newsletters.id, id),
            eq(newsletters.status, 'sending'),
            sql`not exists (select 1 from ${newsletterRecipients} where ${newsletterRecipients.newsletterId} = ${id} and ${newsletterRecipients.status} = 'pending')`,
          ),
        );
    },
  };
}
export type SendingRepository = ReturnType<typeof createSendingRepository>;
