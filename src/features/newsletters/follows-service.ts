import type { Db, Tx } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import { ok, validateForm, type Result } from '#src/lib/forms.ts';
import type { I18n, Lang, Translator } from '#src/lib/i18n.ts';
import { localised, type Translations } from '#src/lib/localised.ts';
import type { CommentTarget } from '#src/platform/feature.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import { createFollowsRepository, type Follow, type FollowRef } from './follows-repository.ts';
import { FOLLOW_CONFIRM_DAYS, FOLLOW_PENDING_DAYS, FOLLOW_RESEND_AFTER_MS, FollowSchema } from './follows-schema.ts';
import { createPreferenceTokens, hashConfirmToken, looksLikeConfirmToken, newConfirmToken } from './tokens.ts';

export type { Follow, FollowRef } from './follows-repository.ts';

// What the owning feature says in an update, written in each follower's language.
export type FollowMessage = {
  subject: string;
  heading?: string;
  paragraphs: string[];
  action?: { text: string; href: string };
};
export type NotifyOptions = {
  // Names the update (say 'commitment-update-12'): one email per follower per key, however often
  // notify is called with it.
  key: string;
  // The owning feature's transaction, so the emails are promised exactly when the update commits.
  tx?: Db | Tx;
  message: (tr: Translator) => FollowMessage;
};
export type ConfirmOutcome = { kind: 'confirmed'; follow: Follow } | { kind: 'expired' | 'invalid' };

type Deps = { config: Config; mail: MailService; settings: SettingsService; i18n: I18n; now?: () => Date };

const DAY_MS = 86_400_000;

// Following one page by email (a commitment, or any manifest's `followable`): double opt-in like
// the newsletter's sign-up, one email per update to each confirmed follower, and a one-click
// unsubscribe in every email. No account is needed; a follow is kept by address.
export function createFollowsService(db: Db, deps: Deps) {
  const { config, mail, settings, i18n } = deps;
  const now = deps.now ?? (() => new Date());
  const repo = createFollowsRepository(db);
  // The unsubscribe link's token: the follow's id signed for this use only, so it never works as
  // a newsletter preference link (or the other way round).
  const tokens = createPreferenceTokens(config.authSecret, 'coproduce:follow-unsubscribe');
  const unsubscribeUrl = (followId: number) => `${config.baseUrl}/follow/unsubscribe/${tokens.sign(followId)}`;

  // Rendered before the transaction: rendering reads settings, and PGlite's one connection is
  // held by an open transaction. Written in the language of the page the person asked on.
  async function renderConfirmation(email: string, title: string, token: string, lang: Lang) {
    const { t } = i18n.translator(lang);
    const org = await settings.get();
    const subject = t('follows.emails.confirm.subject', { title });
    const rendered = await mail.render({
      to: email,
      lang,
      subject,
      heading: t('follows.emails.confirm.heading'),
      paragraphs: [
        t('follows.emails.confirm.asked', { org: org.name, title }),
        t('follows.emails.confirm.howTo', { count: FOLLOW_CONFIRM_DAYS }),
        t('follows.emails.confirm.notYou'),
      ],
      action: { text: t('follows.emails.confirm.action'), href: `${config.baseUrl}/follow/confirm/${token}` },
    });
    return { subject, rendered };
  }

  const service = {
    unsubscribeUrl,
    unsubscribePath: (followId: number) => `/follow/unsubscribe/${tokens.sign(followId)}`,

    // The follow form. Whether or not the address already follows the page, the person sees the
    // same next page, so the form cannot be used to find out who follows what; only a new or
    // unconfirmed follow is sent a confirmation email (at most one per 10 minutes).
    async request(target: CommentTarget & { translations?: Translations | null }, body: unknown, lang: Lang): Promise<Result> {
      const v = validateForm(FollowSchema, body);
      if (!v.ok) return v;
      const { email } = v.value;
      const title = localised(target, ['title'], lang).title;
      const fresh = newConfirmToken();
      const confirmation = await renderConfirmation(email, title, fresh.token, lang);
      await db.transaction(async (tx) => {
        const txRepo = createFollowsRepository(tx);
        const page = { targetTitle: title, targetPath: target.path };
        const row = await txRepo.lockOrCreate({ email, language: lang, targetType: target.type, targetId: target.id, ...page });
        if (row.status === 'active') return;
        const at = now();
        const sent = row.status === 'pending' && row.confirmTokenHash ? row.confirmSentAt : null;
        if (sent && at.getTime() - sent.getTime() < FOLLOW_RESEND_AFTER_MS) return;
        await txRepo.update(row.id, {
          ...page,
          status: 'pending',
          language: lang,
          confirmTokenHash: fresh.hash,
          confirmExpiresAt: new Date(at.getTime() + FOLLOW_CONFIRM_DAYS * DAY_MS),
          confirmSentAt: at,
          updatedAt: at,
        });
        await mail.enqueue(
          { to: email, lang, subject: confirmation.subject, paragraphs: [], prerendered: confirmation.rendered },
          { key: `follow-confirm-${row.id}-${fresh.hash.slice(0, 16)}`, kind: 'follow-confirm', tx },
        );
      });
      return ok();
    },

    // What the confirmation page should say, without changing anything (link scanners GET it).
    async checkConfirmToken(token: unknown): Promise<'valid' | 'expired' | 'invalid'> {
      if (!looksLikeConfirmToken(token)) return 'invalid';
      const row = await repo.expiryOf(hashConfirmToken(token));
      if (!row) return 'invalid';
      return row.expires && row.expires > now() ? 'valid' : 'expired';
    },

    // Only the POST from the confirmation page confirms; the token is used up as it does.
    async confirm(token: unknown): Promise<ConfirmOutcome> {
      const state = await service.checkConfirmToken(token);
      if (state !== 'valid') return { kind: state };
      const follow = await repo.claim(hashConfirmToken(token as string), now());
      return follow ? { kind: 'confirmed', follow } : { kind: 'invalid' };
    },

    // The follow an unsubscribe link names, or null for a forged or altered link.
    async byUnsubscribeToken(token: unknown): Promise<Follow | null> {
      const id = tokens.verify(token);
      return id ? ((await repo.byId(id)) ?? null) : null;
    },

    // Stops the follow (doing it again changes nothing). Null for a bad link.
    async unsubscribe(token: unknown): Promise<Follow | null> {
      const id = tokens.verify(token);
      if (!id) return null;
      return (await repo.unsubscribe(id, now())) ?? (await repo.byId(id)) ?? null;
    },

    // Confirmed followers of a page (staff see the number).
    count: (target: FollowRef) => repo.activeCount(target),

    // An address's follows, for the person's data download.
    async forEmail(email: string) {
      const rows = await repo.byEmail(email.toLowerCase());
      return rows.map((f) => ({
        title: f.targetTitle,
        path: f.targetPath,
        status: f.status,
        since: (f.consentedAt ?? f.createdAt).toISOString(),
      }));
    },

    // One email to each confirmed follower of the page, in their language, with a one-click
    // unsubscribe (RFC 8058). The key makes it one email per follower per update, whatever is
    // retried. Returns how many followers were written to.
    async notify(target: FollowRef, opts: NotifyOptions): Promise<number> {
      const followers = await createFollowsRepository(opts.tx ?? db).active(target);
      if (followers.length === 0) return 0;
      const org = await settings.get();
      for (const f of followers) {
        const tr = i18n.translator(f.language);
        const url = unsubscribeUrl(f.id);
        await mail.enqueue(
          {
            ...opts.message(tr),
            to: f.email,
            lang: tr.lang,
            footer: [tr.t('follows.emails.update.why', { title: f.targetTitle }), tr.t('mail.layout.footer', { org: org.name })],
            unsubscribeUrl: url,
            headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          },
          { key: `follow:${opts.key}:${f.id}`, kind: 'follow-update', tx: opts.tx },
        );
      }
      return followers.length;
    },

    // Deleting an account erases the address's unconfirmed follows (it never agreed to anything);
    // confirmed ones are their own consent, kept by address, and every email can stop them.
    erasePendingFor: (email: string, tx: Db | Tx) => createFollowsRepository(tx).deletePendingFor(email.toLowerCase()),

    // Follows never confirmed are deleted 30 days after they were asked for.
    purgeUnconfirmed: (at: Date = now()) => repo.deletePendingBefore(new Date(at.getTime() - FOLLOW_PENDING_DAYS * DAY_MS)),
  };
  return service;
}
export type FollowsService = ReturnType<typeof createFollowsService>;
