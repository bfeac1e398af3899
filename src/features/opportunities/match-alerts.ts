import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { Db, Tx } from '#src/db/client.ts';
import { localised } from '#src/lib/localised.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { createHourlyJob } from './hourly-job.ts';
import { londonTime } from './dates.ts';
import { reasonsToMatch, strength, type MatchReason, type Opportunity } from './matching.ts';
import type { MatchRepository } from './match-repository.ts';
import { reasonWords, termsById } from './match-words.ts';

const E = 'opportunity-matches.email';
// How many subscribers one step of a run reads, writes emails for and moves on, in one transaction.
export const ALERT_BATCH = 500;
// The alerts go out once a day from this hour, UK time.
export const ALERT_HOUR = 7;
// At most this many opportunities in one email (the strongest matches); the rest are one link away.
const MOST_IN_ONE_EMAIL = 10;

const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

// The latest daily sending time (07:00 UK time) at or before `now`, and that day (for the email's
// key: one alert per person per day, however often the job runs).
export function alertRound(now: Date): { due: Date; day: string } {
  const today = londonDay.format(now);
  const at = londonTime(today, ALERT_HOUR, 0);
  if (at <= now) return { due: at, day: today };
  const yesterday = londonDay.format(new Date(at.getTime() - 12 * 3600_000));
  return { due: londonTime(yesterday, ALERT_HOUR, 0), day: yesterday };
}

// The stop link in every alert email works without signing in: it names the account, signed, so
// it cannot be made for anyone else. It stays valid (a stop link that expires would trap people).
export function createAlertStopTokens(secret: string) {
  const key = createSecretKey(createHmac('sha256', secret).update('coproduce:opportunity-alerts-stop').digest());
  const mac = (userId: string) => createHmac('sha256', key).update(userId).digest('base64url').slice(0, 32);
  return {
    sign: (userId: string) => `${Buffer.from(userId).toString('base64url')}.${mac(userId)}`,
    verify(token: unknown): string | null {
      if (typeof token !== 'string' || token.length > 300) return null;
      const m = /^([A-Za-z0-9_-]{1,250})\.([A-Za-z0-9_-]{32})$/.exec(token);
      if (!m) return null;
      const userId = Buffer.from(m[1]!, 'base64url').toString();
      if (!userId || Buffer.from(userId).toString('base64url') !== m[1]) return null;
      return timingSafeEqual(Buffer.from(mac(userId)), Buffer.from(m[2]!)) ? userId : null;
    },
  };
}

type Match = { opportunity: Opportunity; reasons: MatchReason[] };
type Terms = Parameters<typeof reasonWords>[1];

// The daily alerts: everyone with alerts on whose round is due gets the open opportunities
// published since they were last considered that match them, in their language; people with none
// get nothing. Subscribers are walked in batches of ALERT_BATCH (by id), each batch's emails and
// "considered" marks written in one transaction; a second instance finds nothing left to do.
export function createMatchAlerts(db: Db, ctx: FeatureContext, repo: MatchRepository) {
  const { mail, profile, identity, settings } = ctx.services;
  const tokens = createAlertStopTokens(ctx.config.authSecret);
  const link = (path: string) => `${ctx.config.baseUrl}${path}`;

  // Written inside the batch's transaction: everything read from the database is read before it
  // (PGlite has one connection, which the transaction holds).
  async function email(
    to: { id: string; name: string; email: string },
    lang: string | null,
    matches: Match[],
    round: { day: string; org: string; terms: Terms },
    tx: Tx,
  ) {
    const tr = ctx.i18n.translator(lang);
    const { day, org, terms } = round;
    const stop = link(`/opportunity-alerts/stop/${tokens.sign(to.id)}`);
    const shown = matches.slice(0, MOST_IN_ONE_EMAIL);
    await mail.enqueue(
      {
        to: to.email,
        lang: tr.lang,
        subject: tr.t(`${E}.subject`, { count: matches.length }),
        heading: tr.t(`${E}.heading`),
        paragraphs: [
          tr.t(`${E}.dear`, { name: to.name }),
          tr.t(`${E}.intro`, { count: matches.length }),
          ...shown.flatMap(({ opportunity, reasons }) => [
            `${localised(opportunity, ['title'], tr.lang).title}: ${link(`/opportunities/${opportunity.slug}`)}`,
            tr.t(`${E}.why`, { reasons: reasonWords(reasons, terms, tr, 'person').join('; ') }),
          ]),
          ...(matches.length > shown.length ? [tr.t(`${E}.more`, { count: matches.length - shown.length })] : []),
        ],
        action: { text: tr.t(`${E}.action`), href: link('/opportunities') },
        footer: [
          tr.t(`${E}.footer`, { org }),
          tr.t(`${E}.stop`, { url: stop }),
          tr.t(`${E}.change`, { url: link('/profile/opportunity-emails') }),
        ],
        unsubscribeUrl: stop,
        // RFC 8058: mail programs offer "unsubscribe" and post to the link themselves.
        headers: { 'List-Unsubscribe': `<${stop}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      },
      { key: `opportunity-alert-${to.id}-${day}`, kind: 'opportunity-alert', tx },
    );
  }

  return {
    tokens,

    async sendDue(now = new Date(), batchSize = ALERT_BATCH): Promise<{ considered: number; sent: number }> {
      const { due, day } = alertRound(now);
      // Term labels and the organisation's name, read once per run.
      const [terms, org] = await Promise.all([profile.terms(true).then(termsById), settings.get()]);
      const round = { day, org: org.name, terms };
      let after: string | null = null;
      let considered = 0;
      let sent = 0;
      for (;;) {
        const batch = await repo.alertsDue(due, after, batchSize);
        if (!batch.length) break;
        after = batch.at(-1)!.userId;
        const ids = batch.map((a) => a.userId);
        const since = new Date(Math.min(...batch.map((a) => a.lastSentAt.getTime())));
        const [published, facts, accounts] = await Promise.all([
          repo.publishedSince(since, now),
          profile.matchFactsOf(ids),
          identity.accountsByIds(ids),
        ]);
        const applied = await repo.appliedAmong(
          ids,
          published.map((o) => o.id),
        );
        await db.transaction(async (tx) => {
          for (const alert of batch) {
            const person = facts.get(alert.userId);
            const account = accounts.get(alert.userId);
            if (!person || !account) continue;
            const matches = published
              .filter((o) => o.publishedAt && o.publishedAt > alert.lastSentAt && !applied.has(`${alert.userId} ${o.id}`))
              .map((opportunity) => ({ opportunity, reasons: reasonsToMatch(opportunity, person) }))
              .filter((m) => m.reasons.length)
              .sort((a, b) => strength(b.reasons) - strength(a.reasons));
            if (!matches.length) continue;
            await email(account, person.language, matches, round, tx);
            sent++;
          }
          await repo.markConsidered(ids, due, now, tx);
        });
        considered += batch.length;
        if (batch.length < batchSize) break;
      }
      return { considered, sent };
    },
  };
}

// Tried at start and every hour: a run before 07:00 UK time finds the day's round not yet due, a
// later one sends what is due, and the rest of the day's runs find nothing left.
export const createAlertJob = () =>
  createHourlyJob(
    (ctx) => ctx.services.opportunityMatches.sendDueAlerts(),
    'could not send the opportunity alerts; they are tried again within the hour',
  );
