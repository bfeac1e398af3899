import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import { PRIVACY_NOTICE_VERSION, PreferencesSchema, SignUpSchema } from './schema.ts';
import {
  newsletterConsentEvents,
  newsletterSubscriberTopics,
  newsletterSubscribers,
  newsletterTopics,
  type ConsentAction,
  type SubscriberStatus,
} from './tables.ts';
import { hashConfirmToken, looksLikeConfirmToken, newConfirmToken, type PreferenceTokens } from './tokens.ts';
import type { TopicsService } from './topics.ts';

export const CONFIRM_LINK_DAYS = 7;
// A second sign-up soon after the first updates the chosen topics but sends no second email, so
// the form cannot be used to flood someone's inbox.
const RESEND_AFTER_MS = 10 * 60_000;

export type Subscriber = typeof newsletterSubscribers.$inferSelect;
export type ConsentEvent = { action: ConsentAction; topics: string[]; source: string; detail?: string | null; staffUserId?: string | null };

type Deps = {
  config: Config;
  mail: MailService;
  settings: SettingsService;
  topics: TopicsService;
  tokens: PreferenceTokens;
  now?: () => Date;
};

export function createSubscribersService(db: Db, deps: Deps) {
  const { config, mail, settings, topics, tokens } = deps;
  const now = deps.now ?? (() => new Date());
  const link = (path: string) => `${config.baseUrl}${path}`;
  const preferencesUrl = (id: number) => link(`/newsletter/preferences/${tokens.sign(id)}`);

  async function record(runner: Db, subscriberId: number, e: ConsentEvent) {
    await runner.insert(newsletterConsentEvents).values({
      subscriberId,
      action: e.action,
      topics: e.topics,
      privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
      source: e.source,
      detail: e.detail ?? null,
      staffUserId: e.staffUserId ?? null,
    });
  }

  async function topicIdsOf(runner: Db, subscriberId: number): Promise<number[]> {
    const rows = await runner
      .select({ id: newsletterSubscriberTopics.topicId })
      .from(newsletterSubscriberTopics)
      .where(eq(newsletterSubscriberTopics.subscriberId, subscriberId));
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async function setTopics(runner: Db, subscriberId: number, topicIds: number[]) {
    await runner.delete(newsletterSubscriberTopics).where(eq(newsletterSubscriberTopics.subscriberId, subscriberId));
    if (topicIds.length) await runner.insert(newsletterSubscriberTopics).values(topicIds.map((topicId) => ({ subscriberId, topicId })));
  }

  // Only topics that exist and are offered may be chosen; anything else is a forged form.
  async function offeredTopics(ids: number[]) {
    const offered = await topics.active();
    const chosen = offered.filter((t) => ids.includes(t.id));
    return chosen.length === ids.length ? chosen : null;
  }

  const noTopic: FieldErrors = { topics: 'Choose at least one topic' };

  const service = {
    preferencesUrl,

    findByEmail: async (email: string): Promise<Subscriber | undefined> =>
      (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email.toLowerCase())))[0],

    // The sign-up form. Whatever the address's history, the person sees the same next page, so the
    // form cannot be used to find out who is subscribed; what we email them differs.
    async signUp(body: unknown, source = 'web-form'): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const v = validateForm(SignUpSchema, body);
      if (!v.ok) return v;
      const chosen = await offeredTopics(v.value.topics);
      if (!chosen) return { ok: false, errors: noTopic };
      const { email } = v.value;
      const org = await settings.get();
      const topicNames = chosen.map((t) => t.name);
      const known = await service.findByEmail(email);
      if (known?.status === 'active') {
        // One "you are already subscribed" email a day at most, however often the form is sent.
        const day = now().toISOString().slice(0, 10);
        await mail.enqueue(
          {
            to: email,
            subject: `You are already subscribed to emails from ${org.name}`,
            heading: 'You are already subscribed',
            paragraphs: [
              `Someone, probably you, asked to subscribe this email address to updates from ${org.name}. You are already subscribed, so nothing has changed.`,
              'You can change the topics you get emails about, or unsubscribe, on your email preferences page.',
            ],
            action: { text: 'Change your email preferences', href: preferencesUrl(known.id) },
          },
          { key: `newsletter-already-${known.id}-${day}`, kind: 'newsletter-already-subscribed' },
        );
        return { ok: true };
      }
      // Rendered before the transaction: rendering reads settings, and PGlite's one connection
      // is held by an open transaction.
      const fresh = newConfirmToken();
      const confirmation = await mail.render({
        to: email,
        subject: `Confirm your subscription to emails from ${org.name}`,
        heading: 'Confirm your email address',
        paragraphs: [
          `Someone, probably you, asked to get email updates from ${org.name} about: ${topicNames.join(', ')}.`,
          `To start getting them, open the link and press Confirm. The link works for ${CONFIRM_LINK_DAYS} days.`,
          'If you did not ask for this, you do not need to do anything. We will not email you again.',
        ],
        action: { text: 'Confirm your subscription', href: link(`/newsletter/confirm/${fresh.token}`) },
      });
      await db.transaction(async (tx) => {
        const [existing] = await tx.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)).for('update');
        // Confirmed in another tab a moment ago: nothing to do.
        if (existing?.status === 'active') return;
        const at = now();
        const recentlySent =
          existing?.confirmSentAt && existing.confirmTokenHash && at.getTime() - existing.confirmSentAt.getTime() < RESEND_AFTER_MS;
        let subscriberId: number;
        if (existing && recentlySent) {
          await tx
            .update(newsletterSubscribers)
            .set({ pendingTopicIds: v.value.topics, updatedAt: at })
            .where(eq(newsletterSubscribers.id, existing.id));
          await record(tx, existing.id, { action: 'subscribed', topics: topicNames, source, detail: 'Waiting for the person to confirm' });
          return;
        }
        const confirm = {
          confirmTokenHash: fresh.hash,
          confirmExpiresAt: new Date(at.getTime() + CONFIRM_LINK_DAYS * 86_400_000),
          confirmSentAt: at,
          pendingTopicIds: v.value.topics,
          updatedAt: at,
        };
        if (existing) {
          subscriberId = existing.id;
          await tx.update(newsletterSubscribers).set(confirm).where(eq(newsletterSubscribers.id, existing.id));
        } else {
          const [row] = await tx
            .insert(newsletterSubscribers)
            .values({ email, status: 'pending', ...confirm })
            .returning({ id: newsletterSubscribers.id });
          subscriberId = row!.id;
        }
        await record(tx, subscriberId, { action: 'subscribed', topics: topicNames, source, detail: 'Waiting for the person to confirm' });
        await mail.enqueue(
          { to: email, subject: `Confirm your subscription to emails from ${org.name}`, paragraphs: [], prerendered: confirmation },
          { key: `newsletter-confirm-${subscriberId}-${fresh.hash.slice(0, 16)}`, kind: 'newsletter-confirm', tx },
        );
      });
      return { ok: true };
    },

    // What the confirmation page should say, without changing anything (link scanners GET it).
    async checkConfirmToken(token: unknown): Promise<'valid' | 'expired' | 'invalid'> {
      if (!looksLikeConfirmToken(token)) return 'invalid';
      const [row] = await db
        .select({ expires: newsletterSubscribers.confirmExpiresAt })
        .from(newsletterSubscribers)
        .where(eq(newsletterSubscribers.confirmTokenHash, hashConfirmToken(token)));
      if (!row) return 'invalid';
      return row.expires && row.expires > now() ? 'valid' : 'expired';
    },

    // Only the POST from the confirmation page subscribes. The token is used up in the same
    // statement that claims it, so a replayed or double-pressed link confirms once.
    async confirm(token: unknown): Promise<{ kind: 'confirmed'; preferencesUrl: string } | { kind: 'expired' | 'invalid' }> {
      const state = await service.checkConfirmToken(token);
      if (state !== 'valid') return { kind: state };
      const hash = hashConfirmToken(token as string);
      const at = now();
      return db.transaction(async (tx) => {
        const [claimed] = await tx
          .update(newsletterSubscribers)
          .set({ status: 'active', confirmTokenHash: null, confirmExpiresAt: null, consentedAt: at, source: 'web-form', updatedAt: at })
          .where(and(eq(newsletterSubscribers.confirmTokenHash, hash), gt(newsletterSubscribers.confirmExpiresAt, at)))
          .returning();
        if (!claimed) return { kind: 'invalid' as const };
        // Topics archived since the sign-up are dropped; if none is left, all current ones apply.
        const wanted = claimed.pendingTopicIds ?? [];
        const live = (await topics.active(tx)).filter((t) => wanted.includes(t.id));
        await setTopics(
          tx,
          claimed.id,
          live.map((t) => t.id),
        );
        await tx.update(newsletterSubscribers).set({ pendingTopicIds: null }).where(eq(newsletterSubscribers.id, claimed.id));
        await record(tx, claimed.id, {
          action: 'confirmed',
          topics: live.map((t) => t.name),
          source: 'web-form',
          detail: 'Confirmed from the link in the confirmation email',
        });
        return { kind: 'confirmed' as const, preferencesUrl: preferencesUrl(claimed.id) };
      });
    },

    // The preference page: who this token belongs to and what they get. Null for a bad token.
    async preferences(token: unknown) {
      const id = tokens.verify(token);
      if (!id) return null;
      const [sub] = await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.id, id));
      if (!sub) return null;
      return { subscriber: sub, topicIds: await topicIdsOf(db, id) };
    },

    async updatePreferences(token: unknown, body: unknown): Promise<{ ok: true } | { ok: false; errors: FieldErrors } | null> {
      const id = tokens.verify(token);
      if (!id) return null;
      const v = validateForm(PreferencesSchema, body);
      if (!v.ok) return v;
      const chosen = await offeredTopics(v.value.topics);
      if (!chosen) return { ok: false, errors: { topics: 'Choose at least one topic, or unsubscribe from all emails' } };
      const done = await db.transaction(async (tx) => {
        const [sub] = await tx.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.id, id)).for('update');
        if (!sub || sub.status === 'pending') return false;
        // Archived topics the person still has are kept: they were not offered, so not refused.
        const archived = (await topics.byIds(await topicIdsOf(tx, id), tx)).filter((t) => t.archivedAt).map((t) => t.id);
        await setTopics(tx, id, [...new Set([...chosen.map((t) => t.id), ...archived])]);
        const at = now();
        if (sub.status !== 'active') {
          // The link reached them by email, so choosing topics again is a confirmed subscription.
          await tx
            .update(newsletterSubscribers)
            .set({ status: 'active', consentedAt: at, source: 'preference-page', updatedAt: at })
            .where(eq(newsletterSubscribers.id, id));
          await record(tx, id, {
            action: 'confirmed',
            topics: chosen.map((t) => t.name),
            source: 'preference-page',
            detail: 'Subscribed again from the email preferences page',
          });
        } else {
          await tx.update(newsletterSubscribers).set({ updatedAt: at }).where(eq(newsletterSubscribers.id, id));
          await record(tx, id, { action: 'topics-changed', topics: chosen.map((t) => t.name), source: 'preference-page' });
        }
        return true;
      });
      return done ? { ok: true } : null;
    },

    // Unsubscribes the token's owner; doing it again changes nothing. False for a bad token.
    async unsubscribe(token: unknown, source: string): Promise<boolean> {
      const id = tokens.verify(token);
      if (!id) return false;
      const found = await service.setStatus(id, 'unsubscribed', { action: 'unsubscribed', source });
      return found !== 'missing';
    },

    // Bounces and complaints from the mail provider (or staff) stop all sending to the address.
    async markByEmail(
      email: string,
      status: 'bounced' | 'complained',
      e: Omit<ConsentEvent, 'action' | 'topics'>,
    ): Promise<'changed' | 'unchanged' | 'missing'> {
      const sub = await service.findByEmail(email);
      if (!sub) return 'missing';
      return service.setStatus(sub.id, status, { ...e, action: status });
    },

    async setStatus(id: number, status: SubscriberStatus, e: Omit<ConsentEvent, 'topics'>): Promise<'changed' | 'unchanged' | 'missing'> {
      return db.transaction(async (tx) => {
        const [sub] = await tx.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.id, id)).for('update');
        if (!sub) return 'missing' as const;
        if (sub.status === status) return 'unchanged' as const;
        await tx
          .update(newsletterSubscribers)
          .set({ status, updatedAt: now(), confirmTokenHash: null, confirmExpiresAt: null, pendingTopicIds: null })
          .where(eq(newsletterSubscribers.id, id));
        const names = (await topics.byIds(await topicIdsOf(tx, id), tx)).map((t) => t.name);
        await record(tx, id, { ...e, topics: names });
        return 'changed' as const;
      });
    },

    // Sign-ups never confirmed are deleted a while after their link expired: the person never
    // agreed to anything, so we keep nothing about them.
    async purgeUnconfirmed(olderThanDays = 30): Promise<number> {
      const cutoff = new Date(now().getTime() - olderThanDays * 86_400_000);
      const gone = await db
        .delete(newsletterSubscribers)
        .where(
          and(
            eq(newsletterSubscribers.status, 'pending'),
            isNull(newsletterSubscribers.consentedAt),
            or(isNull(newsletterSubscribers.confirmExpiresAt), lt(newsletterSubscribers.confirmExpiresAt, cutoff)),
          ),
        )
        .returning({ id: newsletterSubscribers.id });
      return gone.length;
    },

    history(subscriberId: number) {
      return db
        .select()
        .from(newsletterConsentEvents)
        .where(eq(newsletterConsentEvents.subscriberId, subscriberId))
        .orderBy(newsletterConsentEvents.at, newsletterConsentEvents.id);
    },

    topicNamesOf: async (subscriberId: number) =>
      (
        await db
          .select({ name: newsletterTopics.name })
          .from(newsletterSubscriberTopics)
          .innerJoin(newsletterTopics, eq(newsletterTopics.id, newsletterSubscriberTopics.topicId))
          .where(eq(newsletterSubscriberTopics.subscriberId, subscriberId))
      ).map((r) => r.name),
  };
  return service;
}
export type SubscribersService = ReturnType<typeof createSubscribersService>;
