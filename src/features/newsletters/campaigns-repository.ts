import { and, count, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { newsletterRecipients, newsletterSubscribers, newsletters } from './tables.ts';

export type Newsletter = typeof newsletters.$inferSelect;
export type NewNewsletter = typeof newsletters.$inferInsert;
export type NewsletterChanges = Partial<Omit<NewNewsletter, 'id' | 'createdAt'>>;

// Active subscribers who chose any of these topics (or every active subscriber for none).
const audienceWhere = (topicIds: number[]) =>
  topicIds.length
    ? sql`newsletter_subscribers.status = 'active' and exists (select 1 from newsletter_subscriber_topics st where st.subscriber_id = newsletter_subscribers.id and st.topic_id in (${sql.join(
        topicIds.map((t) => sql`${t}::int`),
        sql`, `,
      )}))`
    : sql`newsletter_subscribers.status = 'active'`;

// Staff's newsletters and their recipient lists. Drizzle queries only: rules live in campaigns.ts.
// Inside a transaction, make one with the transaction.
export function createCampaignsRepository(db: Db) {
  return {
    list: () => db.select().from(newsletters).orderBy(desc(newsletters.id)).limit(200),

    async byId(id: number): Promise<Newsletter | undefined> {
      return (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0];
    },

    // The row, locked until the caller's transaction ends.
    async lockById(id: number): Promise<Newsletter | undefined> {
      return (await db.select().from(newsletters).where(eq(newsletters.id, id)).for('update'))[0];
    },

    // Any newsletter but a draft, by id or by slug.
    async notDraft(key: { id: number } | { slug: string }): Promise<Newsletter | undefined> {
      const [row] = await db
        .select()
        .from(newsletters)
        .where(and('id' in key ? eq(newsletters.id, key.id) : eq(newsletters.slug, key.slug), ne(newsletters.status, 'draft')));
      return row;
    },

    // The public archive: every newsletter whose sending has started, newest first.
    archivePage: (limit: number, offset: number) =>
      db
        .select({
          id: newsletters.id,
          slug: newsletters.slug,
          subject: newsletters.subject,
          translations: newsletters.translations,
          sendStartedAt: newsletters.sendStartedAt,
        })
        .from(newsletters)
        .where(ne(newsletters.status, 'draft'))
        .orderBy(desc(newsletters.sendStartedAt), desc(newsletters.id))
        .limit(limit)
        .offset(offset),

    async archiveCount(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(newsletters).where(ne(newsletters.status, 'draft'));
      return Number(row?.n ?? 0);
    },

    async slugTaken(slug: string, exceptId: number): Promise<boolean> {
      const [taken] = await db
        .select({ id: newsletters.id })
        .from(newsletters)
        .where(and(eq(newsletters.slug, slug), ne(newsletters.id, exceptId)));
      return !!taken;
    },

    async audienceSize(topicIds: number[]): Promise<number> {
      const [row] = await db.select({ n: count() }).from(newsletterSubscribers).where(audienceWhere(topicIds));
      return Number(row?.n ?? 0);
    },

    async insert(values: NewNewsletter): Promise<number> {
      const [row] = await db.insert(newsletters).values(values).returning({ id: newsletters.id });
      return row!.id;
    },

    async update(id: number, changes: NewsletterChanges): Promise<void> {
      await db.update(newsletters).set(changes).where(eq(newsletters.id, id));
    },

    // Applies the changes only while the newsletter has status `from`; whether it did.
    async updateIfStatus(id: number, from: Newsletter['status'], changes: NewsletterChanges): Promise<boolean> {
      const rows = await db
        .update(newsletters)
        .set(changes)
        .where(and(eq(newsletters.id, id), eq(newsletters.status, from)))
        .returning({ id: newsletters.id });
      return rows.length > 0;
    },

    // The recipient list: everyone in the audience now, one row each, in subscriber order.
    async snapshotRecipients(id: number, topicIds: number[]): Promise<number> {
      await db.execute(sql`
          insert into ${newsletterRecipients} (newsletter_id, subscriber_id, email, name)
          select ${id}::int, newsletter_subscribers.id, newsletter_subscribers.email, newsletter_subscribers.name
          from newsletter_subscribers
          where ${audienceWhere(topicIds)}
          order by newsletter_subscribers.id
          on conflict do nothing`);
      const [counted] = await db.select({ n: count() }).from(newsletterRecipients).where(eq(newsletterRecipients.newsletterId, id));
      return Number(counted?.n ?? 0);
    },

    recipientCountsByStatus(id: number) {
      return db
        .select({ status: newsletterRecipients.status, n: count() })
        .from(newsletterRecipients)
        .where(eq(newsletterRecipients.newsletterId, id))
        .groupBy(newsletterRecipients.status);
    },

    // Recipients with an error recorded, newest first.
    failures: (id: number, limit: number) =>
      db
        .select({
          email: newsletterRecipients.email,
          attempts: newsletterRecipients.attempts,
          lastError: newsletterRecipients.lastError,
          status: newsletterRecipients.status,
        })
        .from(newsletterRecipients)
        .where(and(eq(newsletterRecipients.newsletterId, id), sql`${newsletterRecipients.lastError} is not null`))
        .orderBy(desc(newsletterRecipients.id))
        .limit(limit),
  };
}
