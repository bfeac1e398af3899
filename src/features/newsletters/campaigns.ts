import type { Db } from '#src/db/client.ts';
import type { Queue } from '#src/platform/jobs/queue.ts';
import { slugify } from '#src/lib/text.ts';
import { defaultLang, languages, type Lang } from '#src/lib/i18n.ts';
import type { Translations } from '#src/lib/localised.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import { createCampaignsRepository, type Newsletter } from './campaigns-repository.ts';
import type { NewsletterRenderer } from './render.ts';
import type { NewsletterInput } from './schema.ts';
import type { RecipientStatus } from './tables.ts';

export const SEND_QUEUE = 'newsletter.send';

export type { Newsletter } from './campaigns-repository.ts';
export type Progress = Record<RecipientStatus, number> & { total: number; done: number; percent: number };
export type SendResult =
  | { kind: 'started'; recipients: number }
  | { kind: 'missing' }
  | { kind: 'not-draft'; status: Newsletter['status'] }
  | { kind: 'no-recipients' };

type CampaignsRepository = ReturnType<typeof createCampaignsRepository>;
// A newsletter as staff write it; other languages' versions are optional.
type CampaignInput = Omit<NewsletterInput, 'translations'> & { translations?: Translations };

// Staff's newsletters: drafts, the durable start of a send, pause and resume, progress.
export function createCampaigns(db: Db, deps: { queue: Queue; mail: MailService; renderer: NewsletterRenderer }) {
  const { queue, mail, renderer } = deps;
  const repo = createCampaignsRepository(db);

  async function uniqueSlug(txRepo: CampaignsRepository, subject: string, id: number) {
    const base = slugify(subject) || `newsletter-${id}`;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await txRepo.slugTaken(candidate, id))) return candidate;
    }
  }

  const campaigns = {
    list: () => repo.list(),

    get: (id: number): Promise<Newsletter | undefined> => repo.byId(id),

    // The public web version exists once sending has started; found by slug or by id.
    async published(key: string): Promise<Newsletter | undefined> {
      const byId = /^[1-9]\d{0,9}$/.test(key) && Number(key) <= 2_147_483_647;
      return repo.notDraft(byId ? { id: Number(key) } : { slug: key });
    },

    // Sent newsletters for the public archive, newest first, a page at a time.
    async archive(page: number, perPage: number) {
      const [items, total] = await Promise.all([repo.archivePage(perPage, (page - 1) * perPage), repo.archiveCount()]);
      return { items, total, pages: Math.max(1, Math.ceil(total / perPage)) };
    },

    audienceSize: (topicIds: number[]): Promise<number> => repo.audienceSize(topicIds),

    create: (input: CampaignInput, staffUserId: string | null): Promise<number> =>
      repo.insert({
        subject: input.subject,
        body: input.body,
        translations: input.translations ?? {},
        topicIds: input.topicIds,
        createdBy: staffUserId,
      }),

    // Only a draft can change: what was sent stays as it was sent.
    async update(id: number, input: CampaignInput): Promise<'saved' | 'missing' | 'not-draft'> {
      const saved = await repo.updateIfStatus(id, 'draft', {
        subject: input.subject,
        body: input.body,
        translations: input.translations ?? {},
        topicIds: input.topicIds,
        updatedAt: new Date(),
      });
      if (saved) return 'saved';
      return (await campaigns.get(id)) ? 'not-draft' : 'missing';
    },

    // One transaction takes the recipient list, marks the newsletter as sending and queues the
    // job: after it commits, the send will finish even if this process dies the next instant.
    async send(id: number, staffUserId: string | null): Promise<SendResult> {
      const result = await db.transaction(async (tx): Promise<SendResult> => {
        const txRepo = createCampaignsRepository(tx);
        const n = await txRepo.lockById(id);
        if (!n) return { kind: 'missing' };
        if (n.status !== 'draft') return { kind: 'not-draft', status: n.status };
        const recipients = await txRepo.snapshotRecipients(id, n.topicIds);
        if (!recipients) return { kind: 'no-recipients' };
        const now = new Date();
        await txRepo.update(id, {
          status: 'sending',
          slug: await uniqueSlug(txRepo, n.subject, id),
          recipientCount: recipients,
          sendStartedAt: now,
          sentBy: staffUserId,
          updatedAt: now,
        });
        await queue.send(SEND_QUEUE, { id }, { retryLimit: 3, tx });
        return { kind: 'started', recipients };
      });
      return result;
    },

    pause: (id: number): Promise<boolean> => repo.updateIfStatus(id, 'sending', { status: 'paused', updatedAt: new Date() }),

    async resume(id: number): Promise<boolean> {
      return db.transaction(async (tx) => {
        const resumed = await createCampaignsRepository(tx).updateIfStatus(id, 'paused', { status: 'sending', updatedAt: new Date() });
        if (!resumed) return false;
        await queue.send(SEND_QUEUE, { id }, { retryLimit: 3, tx });
        return true;
      });
    },

    async progress(id: number): Promise<Progress> {
      const rows = await repo.recipientCountsByStatus(id);
      const p = { pending: 0, sent: 0, failed: 0, skipped: 0 };
      for (const r of rows) p[r.status] = Number(r.n);
      const total = p.pending + p.sent + p.failed + p.skipped;
      const done = total - p.pending;
      return { ...p, total, done, percent: total ? Math.floor((done / total) * 100) : 0 };
    },

    failures: (id: number, limit = 50) => repo.failures(id, limit),

    // The languages the newsletter has a version in: English always, others when written.
    versionsOf: (n: Newsletter): Lang[] => [defaultLang, ...languages.filter((l) => n.translations?.[l.code]?.subject).map((l) => l.code)],

    // The email as a subscriber would get it (greeting without a name, links to the sign-up page).
    async preview(n: Newsletter, lang: Lang = defaultLang) {
      const prepared = await renderer.prepare(n, { test: true, lang });
      return prepared.personalise({ subscriberId: 0, email: 'subscriber@example.org', name: null });
    },

    // A test of each language's version to the signed-in member of staff, through the same
    // durable mail queue as all email.
    async sendTest(n: Newsletter, to: { email: string; name: string }): Promise<void> {
      for (const lang of campaigns.versionsOf(n)) {
        const prepared = await renderer.prepare(n, { test: true, lang });
        const msg = prepared.personalise({ subscriberId: 0, email: to.email, name: to.name });
        await mail.enqueue(
          { to: to.email, lang, subject: prepared.subject, paragraphs: [], prerendered: { html: msg.html, text: msg.text } },
          { key: `newsletter-test-${n.id}-${lang}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, kind: 'newsletter-test' },
        );
      }
    },
  };
  return campaigns;
}
export type Campaigns = ReturnType<typeof createCampaigns>;
