import type { FeatureContext } from '#src/platform/feature.ts';
import { CONTRIBUTOR_ROLE } from '#src/platform/identity/roles.ts';
import { PRIVACY_NOTICE_VERSION } from '#src/features/data-rights/schema.ts';
import { isLang, type Lang } from '#src/lib/i18n.ts';

// Joining the contributor network and signing in by emailed link. Identity (the platform) makes
// and checks the links; this feature decides who may have one and what joining records.
export function createAccountsService(ctx: FeatureContext) {
  const { identity, profile, dataRights } = ctx.services;

  // The language a person signing in uses from now on: the one on their profile; or, when they have
  // not chosen one yet, the one they chose before signing in (then stored on their profile).
  async function settleLanguage(userId: string, chosen: Lang | null): Promise<Lang | null> {
    const stored = await profile.language(userId);
    if (stored || !chosen) return stored;
    await profile.saveLanguage(userId, chosen);
    return chosen;
  }
  return {
    // Joining: consent waits with the link until it is followed. Same outcome for every address, so
    // the form cannot be used to learn who has an account; staff addresses are never sent a link.
    // `lang` is the page's language: the email is written in it, and joining stores it on the profile.
    // `next` is a page on this site to return to once the link is followed (an application, say).
    async requestJoin(input: { name: string; email: string }, lang: Lang, next?: string) {
      const existing = await identity.findAccountByEmail(input.email);
      if (existing && existing.role !== CONTRIBUTOR_ROLE) return;
      await identity.startEmailSignIn({
        email: input.email,
        name: input.name,
        purpose: 'join',
        details: {
          privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
          consentedAt: new Date().toISOString(),
          language: lang,
          ...(next ? { next } : {}),
        },
        lang,
      });
    },

    // The language stored on the profile of whoever signed in with this response (see settleLanguage).
    async languageOf(response: Response, chosen: Lang | null): Promise<Lang | null> {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { user?: { id?: unknown } } | null;
      return typeof body?.user?.id === 'string' ? settleLanguage(body.user.id, chosen) : null;
    },

    async requestSignIn(email: string, lang: Lang, next?: string) {
      const existing = await identity.findAccountByEmail(email);
      if (!existing || existing.role !== CONTRIBUTOR_ROLE) return;
      await identity.startEmailSignIn({ email, purpose: 'sign-in', lang, ...(next ? { details: { next } } : {}) });
    },

    // Follows an emailed link: signs the person in, makes sure they have a profile, and records
    // what they agreed to when they asked to join. Null for a link that is unknown, used or expired.
    // Also gives the language stored on their profile (null when they have not chosen one), and
    // whether the link was a join (the welcome page follows), and the page to return to, if one was asked for.
    // `chosen` is a language the person chose before signing in (the language cookie), if any.
    async completeSignIn(
      token: string,
      headers: Headers,
      chosen: Lang | null,
    ): Promise<{ response: Response; language: Lang | null; joined: boolean; next: string | null } | null> {
      const done = await identity.completeEmailSignIn(token, headers);
      if (!done) return null;
      await profile.ensureProfile(done.user.id);
      const joined = done.request?.purpose === 'join' ? done.request.details : null;
      if (joined?.privacyNoticeVersion) {
        const at = joined.consentedAt ? new Date(joined.consentedAt) : new Date();
        await dataRights.recordConsent(done.user.id, { privacyNoticeVersion: joined.privacyNoticeVersion, at });
      }
      const language = await settleLanguage(done.user.id, isLang(joined?.language) ? joined.language : chosen);
      return { response: done.response, language, joined: !!joined, next: done.request?.details.next ?? null };
    },
  };
}
export type AccountsService = ReturnType<typeof createAccountsService>;
