import { and, count, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import type { Queue } from '#src/platform/jobs/queue.ts';
import { slugify } from '#src/lib/text.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { NewsletterRenderer } from './render.ts';
import type { NewsletterInput } from './schema.ts';
import { newsletterRecipients, newsletterSubscribers, newsletters, type RecipientStatus } from './tables.ts';

export const SEND_QUEUE = 'newsletter.send';

export type Newsletter = typeof newsletters.$inferSelect;
export type Progress = Record<RecipientStatus, number> & { total: number; done: number; percent: number };
export type SendResult =
  | { kind: 'started'; recipients: number }
  | { kind: 'missing' }
  | { kind: 'not-draft'; status: Newsletter['status'] }
  | { kind: 'no-recipients' };

// Staff's newsletters: drafts, the durable start of a send, pause and resume, progress.
export function createCampaigns(db: Db, deps: { queue: Queue; mail: MailService; renderer: NewsletterRenderer }) {
  const { queue, mail, renderer } = deps;

  // Active subscribers who chose any of these topics (or every active subscriber for none).
  const audienceWhere = (topicIds: number[]) =>
    topicIds.length
      ? sql`newsletter_subscribers.status = 'active' and exists (select 1 from newsletter_subscriber_topics st where st.subscriber_id = newsletter_subscribers.id and st.topic_id in (${sql.join(
          topicIds.map((t) => sql`${t}::int`),
          sql`, `,
        )}))`
      : sql`newsletter_subscribers.status = 'active'`;

  async function uniqueSlug(tx: Db, subject: string, id: number) {
    const base = slugify(subject) || `newsletter-${id}`;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      const [taken] = await tx
        .select({ id: newsletters.id })
        .from(newsletters)
        .where(and(eq(newsletters.slug, candidate), ne(newsletters.id, id)));
      if (!taken) return candidate;
    }
  }

  const campaigns = {
    list: () => db.select().from(newsletters).orderBy(desc(newsletters.id)).limit(200),

    async get(id: number): Promise<Newsletter | undefined> {
      return (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0];
    },

    // The public web version exists once sending has started; found by slug or by id.
    async published(key: string): Promise<Newsletter | undefined> {
      const byId = /^[1-9]\d{0,9}$/.test(key) && Number(key) <= 2_147_483_647;
      const [row] = await db
        .select()
        .from(newsletters)
        .where(and(byId ? eq(newsletters.id, Number(key)) : eq(newsletters.slug, key), ne(newsletters.status, 'draft')));
      return row;
    },

    async audienceSize(topicIds: number[]): Promise<number> {
      const [row] = await db.select({ n: count() }).from(newsletterSubscribers).where(audienceWhere(topicIds));
      return Number(row?.n ?? 0);
    },

    async create(input: NewsletterInput, staffUserId: string | null): Promise<number> {
      const [row] = await db
        .insert(newsletters)
        .values({ subject: input.subject, body: input.body, topicIds: input.topicIds, createdBy: staffUserId })
        .returning({ id: newsletters.id });
      return row!.id;
    },

    // Only a draft can change: what was sent stays as it was sent.
    async update(id: number, input: NewsletterInput): Promise<'saved' | 'missing' | 'not-draft'> {
      const rows = await db
        .update(newsletters)
        .set({ subject: input.subject, body: input.body, topicIds: input.topicIds, updatedAt: new Date() })
        .where(and(eq(newsletters.id, id), eq(newsletters.status, 'draft')))
        .returning({ id: newsletters.id });
      if (rows.length) return 'saved';
      return (await campaigns.get(id)) ? 'not-draft' : 'missing';
    },

    // One transaction takes the recipient list, marks the newsletter as sending and queues the
    // job: after it commits, the send will finish even if this process dies the next instant.
    async send(id: number, staffUserId: string | null): Promise<SendResult> {
      const result = await db.transaction(async (tx): Promise<SendResult> => {
        const [n] = await tx.select().from(newsletters).where(eq(newsletters.id, id)).for('update');
        if (!n) return { kind: 'missing' };
        if (n.status !== 'draft') return { kind: 'not-draft', status: n.status };
        await tx.execute(sql`
          insert into ${newsletterRecipients} (newsletter_id, subscriber_id, email, name)
          select ${id}::int, newsletter_subscribers.id, newsletter_subscribers.email, newsletter_subscribers.name
          from newsletter_subscribers
          where ${audienceWhere(n.topicIds)}
          order by newsletter_subscribers.id
          on conflict do nothing`);
        const [counted] = await tx.select({ n: count() }).from(newsletterRecipients).where(eq(newsletterRecipients.newsletterId, id));
        const recipients = Number(counted?.n ?? 0);
        if (!recipients) return { kind: 'no-recipients' };
        const now = new Date();
        await tx
          .update(newsletters)
          .set({
            status: 'sending',
            slug: await uniqueSlug(tx, n.subject, id),
            recipientCount: recipients,
            sendStartedAt: now,
            sentBy: staffUserId,
            updatedAt: now,
          })
          .where(eq(newsletters.id, id));
        await queue.send(SEND_QUEUE, { id }, { retryLimit: 3, tx });
        return { kind: 'started', recipients };
      });
      return result;
    },

    async pause(id: number): Promise<boolean> {
      const rows = await db
        .update(newsletters)
        .set({ status: 'paused', updatedAt: new Date() })
        .where(and(eq(newsletters.id, id), eq(newsletters.status, 'sending')))
        .returning({ id: newsletters.id });
      return rows.length > 0;
    },

    async resume(id: number): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(newsletters)
          .set({ status: 'sending', updatedAt: new Date() })
          .where(and(eq(newsletters.id, id), eq(newsletters.status, 'paused')))
          .returning({ id: newsletters.id });
        if (!rows.length) return false;
        await queue.send(SEND_QUEUE, { id }, { retryLimit: 3, tx });
        return true;
      });
    },

    async progress(id: number): Promise<Progress> {
      const rows = await db
        .select({ status: newsletterRecipients.status, n: count() })
        .from(newsletterRecipients)
        .where(eq(newsletterRecipients.newsletterId, id))
        .groupBy(newsletterRecipients.status);
      const p = { pending: 0, sent: 0, failed: 0, skipped: 0 };
      for (const r of rows) p[r.status] = Number(r.n);
      const total = p.pending + p.sent + p.failed + p.skipped;
      const done = total - p.pending;
      return { ...p, total, done, percent: total ? Math.floor((done / total) * 100) : 0 };
    },

    failures: (id: number, limit = 50) =>
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

    // The email as a subscriber would get it (greeting without a name, links to the sign-up page).
    async preview(n: Newsletter) {
      const prepared = await renderer.prepare(n, { test: true });
      return prepared.personalise({ subscriberId: 0, email: 'subscriber@example.org', name: null });
    },

    // A test to the signed-in member of staff, through the same durable mail queue as all email.
    async sendTest(n: Newsletter, to: { email: string; name: string }): Promise<void> {
      const prepared = await renderer.prepare(n, { test: true });
      const msg = prepared.personalise({ subscriberId: 0, email: to.email, name: to.name });
      await mail.enqueue(
        { to: to.email, subject: prepared.subject, paragraphs: [], prerendered: { html: msg.html, text: msg.text } },
        { key: `newsletter-test-${n.id}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, kind: 'newsletter-test' },
      );
    },
  };
  return campaigns;
}
export type Campaigns = ReturnType<typeof createCampaigns>;
