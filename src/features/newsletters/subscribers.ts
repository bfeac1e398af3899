import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { defaultLang, isLang, type I18n, type Lang } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import { PRIVACY_NOTICE_VERSION, PreferencesSchema, SignUpSchema } from './schema.ts';
import { createSubscribersRepository, type Subscriber, type SubscribersRepository } from './subscribers-repository.ts';
import type { ConsentAction, SubscriberStatus } from './tables.ts';
import { hashConfirmToken, looksLikeConfirmToken, newConfirmToken, type PreferenceTokens } from './tokens.ts';
import { topicInLanguage, type TopicsService } from './topics.ts';

export const CONFIRM_LINK_DAYS = 7;
// A second sign-up soon after the first updates the chosen topics but sends no second email, so
// the form cannot be used to flood someone's inbox.
const RESEND_AFTER_MS = 10 * 60_000;

export type { Subscriber } from './subscribers-repository.ts';
export type ConsentEvent = { action: ConsentAction; topics: string[]; source: string; detail?: string | null; staffUserId?: string | null };

type Deps = {
  config: Config;
  mail: MailService;
  settings: SettingsService;
  topics: TopicsService;
  tokens: PreferenceTokens;
  i18n: I18n;
  now?: () => Date;
};

export function createSubscribersService(db: Db, deps: Deps) {
  const { config, mail, settings, topics, tokens, i18n } = deps;
  const now = deps.now ?? (() => new Date());
  const repo = createSubscribersRepository(db);
  const link = (path: string) => `${config.baseUrl}${path}`;
  const preferencesUrl = (id: number) => link(`/newsletter/preferences/${tokens.sign(id)}`);

  const record = (runner: SubscribersRepository, subscriberId: number, e: ConsentEvent) =>
    runner.insertConsentEvent({
      subscriberId,
      action: e.action,
      topics: e.topics,
      privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
      source: e.source,
      detail: e.detail ?? null,
      staffUserId: e.staffUserId ?? null,
    });

  // Only topics that exist and are offered may be chosen; anything else is a forged form.
  async function offeredTopics(ids: number[]) {
    const offered = await topics.active();
    const chosen = offered.filter((t) => ids.includes(t.id));
    return chosen.length === ids.length ? chosen : null;
  }

  const noTopic: FieldErrors = { topics: msg('newsletters.validation.topics') };

  // One "you are already subscribed" email a day at most, however often the form is sent. It is
  // in the language the form was sent in: whoever sent it is reading that language now.
  async function tellAlreadySubscribed(email: string, known: Subscriber, orgName: string, lang: Lang) {
    const day = now().toISOString().slice(0, 10);
    const { t } = i18n.translator(lang);
    await mail.enqueue(
      {
        to: email,
        lang,
        subject: t('newsletters.emails.already.subject', { org: orgName }),
        heading: t('newsletters.emails.already.heading'),
        paragraphs: [t('newsletters.emails.already.asked', { org: orgName }), t('newsletters.emails.already.change')],
        action: { text: t('newsletters.emails.already.action'), href: preferencesUrl(known.id) },
      },
      { key: `newsletter-already-${known.id}-${day}`, kind: 'newsletter-already-subscribed' },
    );
  }

  // Rendered before the transaction: rendering reads settings, and PGlite's one connection
  // is held by an open transaction. Written in the language the person signed up in.
  const renderConfirmation = (email: string, orgName: string, topicNames: string[], token: string, lang: Lang) => {
    const { t } = i18n.translator(lang);
    const subject = t('newsletters.emails.confirm.subject', { org: orgName });
    return {
      subject,
      rendered: mail.render({
        to: email,
        lang,
        subject,
        heading: t('newsletters.emails.confirm.heading'),
        paragraphs: [
          t('newsletters.emails.confirm.asked', { org: orgName, topics: topicNames.join(', ') }),
          t('newsletters.emails.confirm.howTo', { count: CONFIRM_LINK_DAYS }),
          t('newsletters.emails.confirm.notYou'),
        ],
        action: { text: t('newsletters.emails.confirm.action'), href: link(`/newsletter/confirm/${token}`) },
      }),
    };
  };

  const service = {
    preferencesUrl,

    findByEmail: (email: string): Promise<Subscriber | undefined> => repo.byEmail(email.toLowerCase()),

    // The sign-up form. Whatever the address's history, the person sees the same next page, so the
    // form cannot be used to find out who is subscribed; what we email them differs. `lang` is the
    // language of the page they signed up on: we write to them in it.
    async signUp(body: unknown, source = 'web-form', lang: Lang = defaultLang): Promise<Result> {
      const v = validateForm(SignUpSchema, body);
      if (!v.ok) return v;
      const chosen = await offeredTopics(v.value.topics);
      if (!chosen) return invalid(noTopic);
      const { email } = v.value;
      const org = await settings.get();
      // The consent record keeps the topics' own (English) names; the email names them as the
      // person saw them.
      const topicNames = chosen.map((t) => t.name);
      const shownNames = chosen.map((t) => topicInLanguage(t, lang).name);
      const known = await service.findByEmail(email);
      if (known?.status === 'active') {
        await tellAlreadySubscribed(email, known, org.name, lang);
        return ok();
      }
      const fresh = newConfirmToken();
      const confirmation = renderConfirmation(email, org.name, shownNames, fresh.token, lang);
      const confirmationMail = await confirmation.rendered;
      await db.transaction(async (tx) => {
        const txRepo = createSubscribersRepository(tx);
        const existing = await txRepo.lockByEmail(email);
        // Confirmed in another tab a moment ago: nothing to do.
        if (existing?.status === 'active') return;
        const at = now();
        const recentlySent =
          existing?.confirmSentAt && existing.confirmTokenHash && at.getTime() - existing.confirmSentAt.getTime() < RESEND_AFTER_MS;
        let subscriberId: number;
        if (existing && recentlySent) {
          await txRepo.update(existing.id, { pendingTopicIds: v.value.topics, language: lang, updatedAt: at });
          await record(txRepo, existing.id, {
            action: 'subscribed',
            topics: topicNames,
            source,
            detail: 'Waiting for the person to confirm',
          });
          return;
        }
        const confirm = {
          confirmTokenHash: fresh.hash,
          confirmExpiresAt: new Date(at.getTime() + CONFIRM_LINK_DAYS * 86_400_000),
          confirmSentAt: at,
          pendingTopicIds: v.value.topics,
          language: lang,
          updatedAt: at,
        };
        if (existing) {
          subscriberId = existing.id;
          await txRepo.update(existing.id, confirm);
        } else {
          subscriberId = await txRepo.insert({ email, status: 'pending', ...confirm });
        }
        await record(txRepo, subscriberId, {
          action: 'subscribed',
          topics: topicNames,
          source,
          detail: 'Waiting for the person to confirm',
        });
        await mail.enqueue(
          { to: email, lang, subject: confirmation.subject, paragraphs: [], prerendered: confirmationMail },
          { key: `newsletter-confirm-${subscriberId}-${fresh.hash.slice(0, 16)}`, kind: 'newsletter-confirm', tx },
        );
      });
      return ok();
    },

    // What the confirmation page should say, without changing anything (link scanners GET it).
    async checkConfirmToken(token: unknown): Promise<'valid' | 'expired' | 'invalid'> {
      if (!looksLikeConfirmToken(token)) return 'invalid';
      const row = await repo.confirmExpiry(hashConfirmToken(token));
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
        const txRepo = createSubscribersRepository(tx);
        const claimed = await txRepo.claimConfirmToken(hash, at, {
          status: 'active',
          confirmTokenHash: null,
          confirmExpiresAt: null,
          consentedAt: at,
          source: 'web-form',
          updatedAt: at,
        });
        if (!claimed) return { kind: 'invalid' as const };
        // Topics archived since the sign-up are dropped; if none is left, all current ones apply.
        const wanted = claimed.pendingTopicIds ?? [];
        const live = (await topics.active(tx)).filter((t) => wanted.includes(t.id));
        await txRepo.replaceTopics(
          claimed.id,
          live.map((t) => t.id),
        );
        await txRepo.update(claimed.id, { pendingTopicIds: null });
        await record(txRepo, claimed.id, {
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
      const sub = await repo.byId(id);
      if (!sub) return null;
      return { subscriber: sub, topicIds: await repo.topicIdsOf(id) };
    },

    // The language chosen on the form; without one (an older form), the page's language.
    async updatePreferences(token: unknown, body: unknown, pageLang?: Lang): Promise<Result | null> {
      const id = tokens.verify(token);
      if (!id) return null;
      const v = validateForm(PreferencesSchema, body);
      if (!v.ok) return v;
      const chosen = await offeredTopics(v.value.topics);
      if (!chosen) return invalid({ topics: msg('newsletters.validation.preferencesTopics') });
      const language = isLang(v.value.language) ? v.value.language : pageLang;
      const done = await db.transaction(async (tx) => {
        const txRepo = createSubscribersRepository(tx);
        const sub = await txRepo.lockById(id);
        if (!sub || sub.status === 'pending') return false;
        // Archived topics the person still has are kept: they were not offered, so not refused.
        const archived = (await topics.byIds(await txRepo.topicIdsOf(id), tx)).filter((t) => t.archivedAt).map((t) => t.id);
        await txRepo.replaceTopics(id, [...new Set([...chosen.map((t) => t.id), ...archived])]);
        const at = now();
        if (sub.status !== 'active') {
          // The link reached them by email, so choosing topics again is a confirmed subscription.
          await txRepo.update(id, {
            status: 'active',
            consentedAt: at,
            source: 'preference-page',
            updatedAt: at,
            ...(language && { language }),
          });
          await record(txRepo, id, {
            action: 'confirmed',
            topics: chosen.map((t) => t.name),
            source: 'preference-page',
            detail: 'Subscribed again from the email preferences page',
          });
        } else {
          await txRepo.update(id, { updatedAt: at, ...(language && { language }) });
          await record(txRepo, id, { action: 'topics-changed', topics: chosen.map((t) => t.name), source: 'preference-page' });
        }
        return true;
      });
      return done ? ok() : null;
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
        const txRepo = createSubscribersRepository(tx);
        const sub = await txRepo.lockById(id);
        if (!sub) return 'missing' as const;
        if (sub.status === status) return 'unchanged' as const;
        await txRepo.update(id, { status, updatedAt: now(), confirmTokenHash: null, confirmExpiresAt: null, pendingTopicIds: null });
        const names = (await topics.byIds(await txRepo.topicIdsOf(id), tx)).map((t) => t.name);
        await record(txRepo, id, { ...e, topics: names });
        return 'changed' as const;
      });
    },

    // Sign-ups never confirmed are deleted a while after their link expired: the person never
    // agreed to anything, so we keep nothing about them.
    async purgeUnconfirmed(olderThanDays = 30): Promise<number> {
      return repo.deleteUnconfirmed(new Date(now().getTime() - olderThanDays * 86_400_000));
    },

    history: (subscriberId: number) => repo.consentHistory(subscriberId),

    topicNamesOf: (subscriberId: number) => repo.topicNamesOf(subscriberId),
  };
  return service;
}
export type SubscribersService = ReturnType<typeof createSubscribersService>;
