import type nunjucks from 'nunjucks';
import type { DbHandle } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { Queue } from '#src/platform/jobs/queue.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { AuditService } from '#src/platform/audit/service.ts';
import type { MailTransport } from '#src/platform/mail/transport.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { Log } from '#src/lib/log.ts';
import type { I18n } from '#src/lib/i18n.ts';
import { createCampaigns, SEND_QUEUE } from './campaigns.ts';
import { createNewsletterRenderer } from './render.ts';
import { createBulkTransport, type BulkTransport } from './sending/bulk-transport.ts';
import type { SenderOptions } from './sending/options.ts';
import { createSender } from './sending/sender.ts';
import { createSubscriberAdmin } from './subscriber-admin.ts';
import { createManualSubscribers } from './subscriber-manual.ts';
import { createSubscribersService } from './subscribers.ts';
import { createPreferenceTokens } from './tokens.ts';
import { PRIVACY_NOTICE_VERSION } from './schema.ts';
import { createTopicsService } from './topics.ts';
import { createFollowsService } from './follows-service.ts';

export type NewslettersDeps = {
  config: Config;
  queue: Queue;
  mail: MailService;
  settings: SettingsService;
  nunjucks: nunjucks.Environment;
  // The mail feature's transport: with no SMTP_URL, newsletters go to the same dev outbox.
  transport: MailTransport;
  log: Log;
  i18n: I18n;
  audit: AuditService;
  // Tests and the bench adjust the pace and retries; the rate also comes from NEWSLETTER_RATE.
  sender?: Partial<SenderOptions>;
  bulkTransport?: BulkTransport;
};

// Subscriptions, consent, topics and newsletters, built once at boot.
export function createNewslettersService(database: DbHandle, deps: NewslettersDeps) {
  const { db } = database;
  const { config } = deps;
  const tokens = createPreferenceTokens(config.authSecret);
  const topics = createTopicsService(db);
  const subscribers = createSubscribersService(db, { config, mail: deps.mail, settings: deps.settings, topics, tokens, i18n: deps.i18n });
  const renderer = createNewsletterRenderer({ config, nunjucks: deps.nunjucks, settings: deps.settings, tokens, i18n: deps.i18n });
  const campaigns = createCampaigns(db, { queue: deps.queue, mail: deps.mail, renderer });
  const admin = createSubscriberAdmin(db, { queue: deps.queue, log: deps.log });
  const manual = createManualSubscribers(db, { topics, mail: deps.mail, audit: deps.audit });
  // Following one page by email (a commitment's updates): the same double opt-in and one-click
  // unsubscribe, one row per address per page.
  const follows = createFollowsService(db, { config, mail: deps.mail, settings: deps.settings, i18n: deps.i18n });
  const bulk = deps.bulkTransport ?? createBulkTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom, outbox: deps.transport });
  const sender = createSender({
    database,
    renderer,
    transport: bulk,
    log: deps.log,
    options: { rate: config.newsletterRate, ...deps.sender },
  });
  let sweepTimer: NodeJS.Timeout | undefined;
  // The privacy notice page states the version that consent records refer to.
  deps.nunjucks.addGlobal('newsletterPrivacyVersion', PRIVACY_NOTICE_VERSION);

  return {
    tokens,
    topics,
    subscribers,
    renderer,
    campaigns,
    admin,
    manual,
    follows,
    sender,
    transportKind: bulk.kind,

    // The queue job only says "send this one now"; the newsletter and recipient rows say how far
    // it got. A sweep at start and every 5 seconds resumes any send no process is working on (after
    // a crash, a restart, an error, or a lost job): another instance carries on a send whose
    // instance died within seconds (it was half a minute; ADR 8, "Later"). It costs one small
    // query a sweep. Every sixth sweep also clears out expired unconfirmed sign-ups.
    async startWorker() {
      await deps.queue.work<{ id: number }>(SEND_QUEUE, { batchSize: 5, pollingIntervalSeconds: 1 }, async (jobs) => {
        for (const job of jobs) void sender.kick(job.data.id);
      });
      await admin.startImportWorker();
      let sweeps = 0;
      const sweep = async () => {
        await sender.sweep();
        if (sweeps++ % 6 === 0) await subscribers.purgeUnconfirmed();
      };
      await sweep();
      sweepTimer = setInterval(() => {
        sweep().catch((err: unknown) => deps.log.error({ err }, 'newsletter sweep failed'));
      }, 5_000);
      sweepTimer.unref();
    },

    async stopWorker() {
      clearInterval(sweepTimer);
      await sender.stop();
      bulk.close();
    },
  };
}
export type NewslettersService = ReturnType<typeof createNewslettersService>;
