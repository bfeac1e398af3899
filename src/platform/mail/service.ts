import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type nunjucks from 'nunjucks';
import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { Queue } from '#src/platform/jobs/queue.ts';
import type { Log } from '#src/lib/log.ts';
import { msg } from '#src/lib/messages.ts';
import type { I18n, Lang, Translator } from '#src/lib/i18n.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import { devOutbox, mailMessages, type MailCalendar } from './tables.ts';
import type { MailTransport } from './transport.ts';
import { senderFor } from './sender.ts';

export const MAIL_QUEUE = 'mail.send';
// Retries with exponential back-off: about 10 s, 20 s, 40 s … up to roughly three hours in all.
const RETRY_LIMIT = 10;
const STALE_SWEEP_MS = 60_000;

// What every email says, in one accessible layout (HTML and plain text from the same content).
// Every text in it is already in `lang` (the recipient's language; English when not given): the
// sender writes them with `ctx.i18n.translator(lang)`. The layout's own words follow `lang`.
export type EmailContent = {
  to: string;
  lang?: Lang;
  subject: string;
  heading?: string;
  paragraphs: string[];
  quote?: string;
  action?: { text: string; href: string };
  footer?: string[];
  unsubscribeUrl?: string;
  headers?: Record<string, string>;
  // Already rendered elsewhere (a newsletter's test send): delivered as given.
  prerendered?: { html: string; text: string };
  // A calendar invitation (RFC 5545 text, e.g. a meeting's), sent as the email's text/calendar part.
  calendar?: MailCalendar;
};

// The plain-text alternative carries the same content; no escaping, because it is not HTML.
function renderText(c: EmailContent & { orgName: string; footer: string[] }, tr: Translator): string {
  const parts = [c.orgName, ''];
  if (c.heading) parts.push(c.heading, '');
  for (const p of c.paragraphs) parts.push(p, '');
  if (c.quote)
    parts.push(
      c.quote
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n'),
      '',
    );
  if (c.action) parts.push(`${c.action.text}: ${c.action.href}`, '');
  parts.push('---', ...c.footer);
  if (c.unsubscribeUrl) parts.push(`${tr.t('mail.layout.unsubscribe')}: ${c.unsubscribeUrl}`);
  return parts.join('\n') + '\n';
}

export type EnqueueOptions = {
  // Same key, same email, whatever happens: replays and retries never send twice.
  key: string;
  kind: string;
  // Enqueue in the caller's transaction so the email is promised exactly when the change commits.
  tx?: Db;
  // Erase the address and content once it has been sent (the last email to a deleted account).
  forgetAfterSend?: boolean;
};

const ERASED = { toAddress: 'erased', subject: '(erased)', textBody: '', htmlBody: '', headers: {}, calendar: null };
export const ERASED_OUTBOX_ADDRESS = '(address erased: account deleted)';

export function createMailService(
  db: Db,
  deps: {
    config: Config;
    queue: Queue;
    transport: MailTransport;
    nunjucks: nunjucks.Environment;
    settings: SettingsService;
    log: Log;
    i18n: I18n;
  },
) {
  const { config, queue, transport } = deps;
  let sweeper: NodeJS.Timeout | undefined;
  const host = new URL(config.baseUrl).hostname || 'localhost';

  async function render(content: EmailContent) {
    if (content.prerendered) return content.prerendered;
    const org = await deps.settings.get();
    const tr = deps.i18n.translator(content.lang);
    const ctx = { ...content, lang: tr.lang, orgName: org.name, footer: content.footer ?? [tr.t('mail.layout.footer', { org: org.name })] };
    return {
      html: deps.nunjucks.render('mail/views/email.html.njk', ctx),
      text: renderText(ctx, tr),
    };
  }

  const service = {
    transportKind: transport.kind,
    render,

    async enqueue(content: EmailContent, opts: EnqueueOptions): Promise<number> {
      const { html, text } = await render(content);
      const runner = opts.tx ?? db;
      const [row] = await runner
        .insert(mailMessages)
        .values({
          idempotencyKey: opts.key,
          kind: opts.kind,
          toAddress: content.to,
          subject: content.subject,
          textBody: text,
          htmlBody: html,
          headers: content.headers ?? {},
          calendar: content.calendar ?? null,
          forgetAfterSend: opts.forgetAfterSend ?? false,
        })
        .onConflictDoNothing({ target: mailMessages.idempotencyKey })
        .returning({ id: mailMessages.id });
      if (!row) {
        const [existing] = await runner.select({ id: mailMessages.id }).from(mailMessages).where(eq(mailMessages.idempotencyKey, opts.key));
        return existing!.id;
      }
      await queue.send(
        MAIL_QUEUE,
        { id: row.id },
        { singletonKey: `mail-${row.id}`, retryLimit: RETRY_LIMIT, retryDelay: 10, retryBackoff: true, tx: opts.tx },
      );
      return row.id;
    },

    // Sends one accepted email unless it was already sent. A failure is recorded for staff to see
    // and re-thrown so the queue retries it later.
    async deliver(id: number): Promise<'sent' | 'already-sent' | 'missing'> {
      const [msg] = await db.select().from(mailMessages).where(eq(mailMessages.id, id));
      if (!msg) return 'missing';
      if (msg.status === 'sent') return 'already-sent';
      // Erased for a deleted account: there is nobody to send it to any more.
      if (msg.toAddress === ERASED.toAddress) return 'missing';
      const messageId = `<${msg.id}.${createHash('sha256').update(msg.idempotencyKey).digest('hex').slice(0, 16)}@${host}>`;
      try {
        await transport.send({
          from: senderFor(config.mailFrom, (await deps.settings.get()).name),
          to: msg.toAddress,
          subject: msg.subject,
          text: msg.textBody,
          html: msg.htmlBody,
          headers: msg.headers,
          messageId,
          calendar: msg.calendar ?? undefined,
        });
      } catch (err) {
        const final = msg.attempts + 1 > RETRY_LIMIT;
        await db
          .update(mailMessages)
          .set({
            attempts: sql`${mailMessages.attempts} + 1`,
            lastError: String((err as Error).message).slice(0, 500),
            status: final ? 'failed' : 'queued',
          })
          .where(eq(mailMessages.id, id));
        throw err;
      }
      await db
        .update(mailMessages)
        .set({
          status: 'sent',
          sentAt: new Date(),
          messageId,
          attempts: sql`${mailMessages.attempts} + 1`,
          lastError: null,
          ...(msg.forgetAfterSend ? ERASED : {}),
        })
        .where(and(eq(mailMessages.id, id), eq(mailMessages.status, msg.status)));
      // The development outbox keeps the last email to a deleted account readable (so a newcomer
      // can follow the journey) but not who it went to.
      if (msg.forgetAfterSend && transport.kind === 'outbox') {
        await db.update(devOutbox).set({ toAddress: ERASED_OUTBOX_ADDRESS }).where(eq(devOutbox.toAddress, msg.toAddress));
      }
      return 'sent';
    },

    async startWorker() {
      await queue.work<{ id: number }>(MAIL_QUEUE, { batchSize: 5, pollingIntervalSeconds: 1 }, async (jobs) => {
        for (const job of jobs) await service.deliver(job.data.id);
      });
      // Emails accepted while the queue could not take their job are picked up again.
      sweeper = setInterval(() => {
        service.requeueStale().catch((err: unknown) => deps.log.error({ err }, 'mail sweep failed'));
      }, STALE_SWEEP_MS);
      sweeper.unref();
    },

    stopWorker() {
      clearInterval(sweeper);
    },

    // Re-queues accepted emails whose queue job was lost (e.g. the queue was down when they were
    // accepted). The singleton key stops this from creating a second live job for the same email.
    async requeueStale(olderThanMs = 60_000): Promise<number> {
      const stale = await db
        .select({ id: mailMessages.id })
        .from(mailMessages)
        .where(and(eq(mailMessages.status, 'queued'), lt(mailMessages.createdAt, new Date(Date.now() - olderThanMs))))
        .limit(500);
      for (const { id } of stale) {
        await queue.send(MAIL_QUEUE, { id }, { singletonKey: `mail-${id}`, retryLimit: RETRY_LIMIT, retryDelay: 10, retryBackoff: true });
      }
      return stale.length;
    },

    // Erases what the mail log holds for one address (an account being deleted). Emails not yet
    // sent to it are cancelled (marked failed), apart from the one with exceptKey.
    async forgetAddress(address: string, opts: { tx?: Db; exceptKey?: string } = {}) {
      const runner = opts.tx ?? db;
      const match = opts.exceptKey
        ? and(eq(mailMessages.toAddress, address), sql`${mailMessages.idempotencyKey} <> ${opts.exceptKey}`)
        : eq(mailMessages.toAddress, address);
      await runner
        .update(mailMessages)
        .set({
          ...ERASED,
          status: sql`case when ${mailMessages.status} = 'queued' then 'failed' else ${mailMessages.status} end`,
          lastError: sql`case when ${mailMessages.status} = 'queued' then ${msg('mail.admin.cancelledAccountDeleted')}::text else ${mailMessages.lastError} end`,
        })
        .where(match);
      // Copies kept by the development outbox go too.
      await runner.delete(devOutbox).where(eq(devOutbox.toAddress, address));
    },

    // Which of these keys were already accepted, so a repeating job need not render those again.
    async acceptedKeys(keys: string[]): Promise<Set<string>> {
      if (!keys.length) return new Set();
      const rows = await db
        .select({ key: mailMessages.idempotencyKey })
        .from(mailMessages)
        .where(inArray(mailMessages.idempotencyKey, keys));
      return new Set(rows.map((r) => r.key));
    },

    async recent(limit = 50) {
      return db.select().from(mailMessages).orderBy(desc(mailMessages.id)).limit(limit);
    },

    // Emails that gave up after every retry, for the staff home.
    async failingCount(): Promise<number> {
      return db.$count(mailMessages, eq(mailMessages.status, 'failed'));
    },

    // The development outbox (never mounted in production), newest first.
    outbox: (limit = 100, to?: string) =>
      db
        .select()
        .from(devOutbox)
        .where(to ? sql`lower(${devOutbox.toAddress}) = ${to.toLowerCase()}` : undefined)
        .orderBy(desc(devOutbox.id))
        .limit(limit),
    async outboxMessage(id: number) {
      const [message] = await db.select().from(devOutbox).where(eq(devOutbox.id, id));
      return message ?? null;
    },
  };
  return service;
}
export type MailService = ReturnType<typeof createMailService>;
