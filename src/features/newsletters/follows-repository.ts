import { and, asc, count, eq, gt, lt, ne, or, isNull } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { newsletterFollows } from './tables.ts';

export type Follow = typeof newsletterFollows.$inferSelect;
export type NewFollow = typeof newsletterFollows.$inferInsert;
export type FollowChanges = Partial<Omit<NewFollow, 'id' | 'email' | 'targetType' | 'targetId' | 'createdAt'>>;
export type FollowRef = { type: string; id: number };

const onTarget = (t: FollowRef) => and(eq(newsletterFollows.targetType, t.type), eq(newsletterFollows.targetId, t.id));

// The rows of `newsletter_follows`: one per address per followed page.
export function createFollowsRepository(db: Db) {
  return {
    // The row for this address and page, created pending if there was none, and locked until the
    // transaction ends (two requests at once cannot both send a confirmation).
    async lockOrCreate(values: NewFollow): Promise<Follow> {
      await db.insert(newsletterFollows).values(values).onConflictDoNothing();
      const [row] = await db
        .select()
        .from(newsletterFollows)
        .where(and(eq(newsletterFollows.email, values.email), onTarget({ type: values.targetType, id: values.targetId })))
        .for('update');
      return row!;
    },

    async update(id: number, changes: FollowChanges): Promise<void> {
      await db.update(newsletterFollows).set(changes).where(eq(newsletterFollows.id, id));
    },

    byId: async (id: number): Promise<Follow | undefined> =>
      (await db.select().from(newsletterFollows).where(eq(newsletterFollows.id, id)))[0],

    async expiryOf(tokenHash: string): Promise<{ expires: Date | null } | undefined> {
      const [row] = await db
        .select({ expires: newsletterFollows.confirmExpiresAt })
        .from(newsletterFollows)
        .where(eq(newsletterFollows.confirmTokenHash, tokenHash));
      return row;
    },

    // Uses up the token in the statement that confirms, so a replayed link confirms once.
    async claim(tokenHash: string, at: Date): Promise<Follow | undefined> {
      const [row] = await db
        .update(newsletterFollows)
        .set({ status: 'active', consentedAt: at, confirmTokenHash: null, confirmExpiresAt: null, unsubscribedAt: null, updatedAt: at })
        .where(and(eq(newsletterFollows.confirmTokenHash, tokenHash), gt(newsletterFollows.confirmExpiresAt, at)))
        .returning();
      return row;
    },

    async unsubscribe(id: number, at: Date): Promise<Follow | undefined> {
      const [changed] = await db
        .update(newsletterFollows)
        .set({ status: 'unsubscribed', unsubscribedAt: at, confirmTokenHash: null, confirmExpiresAt: null, updatedAt: at })
        .where(and(eq(newsletterFollows.id, id), ne(newsletterFollows.status, 'unsubscribed')))
        .returning();
      return changed;
    },

    async activeCount(target: FollowRef): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(newsletterFollows)
        .where(and(onTarget(target), eq(newsletterFollows.status, 'active')));
      return Number(row?.n ?? 0);
    },

    active: (target: FollowRef) =>
      db
        .select()
        .from(newsletterFollows)
        .where(and(onTarget(target), eq(newsletterFollows.status, 'active')))
        .orderBy(asc(newsletterFollows.id)),

    byEmail: (email: string) =>
      db.select().from(newsletterFollows).where(eq(newsletterFollows.email, email)).orderBy(asc(newsletterFollows.id)),

    async deletePendingFor(email: string): Promise<number> {
      const gone = await db
        .delete(newsletterFollows)
        .where(and(eq(newsletterFollows.email, email), eq(newsletterFollows.status, 'pending')))
        .returning({ id: newsletterFollows.id });
      return gone.length;
    },

    // Follows never confirmed, last asked for before the cutoff.
    async deletePendingBefore(cutoff: Date): Promise<number> {
      const gone = await db
        .delete(newsletterFollows)
        .where(
          and(
            eq(newsletterFollows.status, 'pending'),
            or(
              lt(newsletterFollows.confirmSentAt, cutoff),
              and(isNull(newsletterFollows.confirmSentAt), lt(newsletterFollows.createdAt, cutoff)),
            ),
          ),
        )
        .returning({ id: newsletterFollows.id });
      return gone.length;
    },
  };
}
export type FollowsRepository = ReturnType<typeof createFollowsRepository>;
