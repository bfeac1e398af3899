import type { Db, Tx } from '#src/db/client.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createConsentRepository, type ConsentRow } from './repository.ts';
import { CONSENT_PURPOSE, PRIVACY_NOTICE_VERSION } from './schema.ts';
import type { Lang } from '#src/lib/i18n.ts';

// A contributor's rights over their data: what they agreed to (consent history), everything held
// about them ("Download my data") and deleting their account. The download and the deletion loop
// over every module's and feature's `personalData` (src/platform/feature.ts): none is listed here.
export function createDataRightsService(db: Db, ctx: FeatureContext) {
  const consents = createConsentRepository(db);
  ctx.nunjucks.addGlobal('contributorPrivacyVersion', PRIVACY_NOTICE_VERSION);
  const { services } = ctx;

  const service = {
    // --- consent ---
    // Agreement to the current privacy notice (joining, or agreeing again after it changed). `at`
    // is when they agreed, which for a join is when they asked, not when they followed the link.
    async recordConsent(userId: string, opts: { privacyNoticeVersion?: string; at?: Date } = {}, runner: Db | Tx = db) {
      await consents.add(
        {
          userId,
          purpose: CONSENT_PURPOSE,
          action: 'given',
          privacyNoticeVersion: opts.privacyNoticeVersion ?? PRIVACY_NOTICE_VERSION,
          at: opts.at,
        },
        runner,
      );
    },

    agreeToCurrentNotice: (userId: string) => service.recordConsent(userId),

    // Consent given before the person was on this site (an imported register): when and how, in
    // the words of the register it came from.
    async recordImportedConsents(rows: { userId: string; at: Date; source: string }[], tx: Db | Tx) {
      await consents.addMany(
        rows.map((r) => ({
          userId: r.userId,
          purpose: CONSENT_PURPOSE,
          action: 'imported',
          privacyNoticeVersion: '',
          at: r.at,
          source: r.source,
        })),
        tx,
      );
    },

    // Newest first.
    consentsOf: (userId: string): Promise<ConsentRow[]> => consents.of(userId),

    // The newest consent, and whether it covers the notice as it is now.
    async consentStatus(userId: string) {
      const [latest] = await consents.of(userId);
      const current = !!latest && latest.action === 'given' && latest.privacyNoticeVersion === PRIVACY_NOTICE_VERSION;
      return { latest: latest ?? null, current };
    },

    anonymiseConsents: (userId: string, tx: Tx) => consents.anonymise(userId, tx),

    // --- download ---
    // Everything held about one person, from every feature that holds personal data, read side by
    // side. Null when there is no such account.
    async exportData(userId: string): Promise<Record<string, unknown> | null> {
      if (!(await services.identity.findAccountById(userId))) return null;
      const parts = await Promise.all(ctx.extensions.personalData.map(async (p) => (p.export ? p.export(ctx, userId) : {})));
      return Object.assign({ exportedAt: new Date().toISOString() }, ...parts) as Record<string, unknown>;
    },

    // The sections of the "Your data" page, in order: each feature's template reads the download.
    sections(): string[] {
      return ctx.extensions.personalData
        .flatMap((p) => p.sections ?? [])
        .sort((a, b) => a.order - b.order)
        .map((s) => s.template);
    },

    async recordDownload(userId: string, format: 'page' | 'json') {
      await services.audit.record({
        actorUserId: userId,
        subjectUserId: userId,
        action: 'contributor.data-downloaded',
        details: { format },
      });
    },

    // --- deletion ---
    // Erases everything that identifies the person, feature by feature in reverse list order (the
    // account itself, in the platform, last), in one transaction. The confirmation email is
    // promised in that transaction after the mail log has forgotten the address, so it is sent
    // exactly when the deletion commits, and then forgotten too.
    // The confirmation is in `lang`, the language of the page the person deleted their account on.
    async deleteAccount(user: CurrentUser, lang: Lang) {
      const tr = ctx.i18n.translator(lang);
      const org = await services.settings.get();
      const subject = { id: user.id, email: user.email };
      const afterCommit = await db.transaction(async (tx) => {
        const after: (() => void)[] = [];
        for (const part of [...ctx.extensions.personalData].reverse()) {
          const then = await part.erase?.(ctx, subject, tx);
          if (then) after.push(then);
        }
        await services.mail.enqueue(
          {
            to: user.email,
            lang: tr.lang,
            subject: tr.t('dataRights.emails.deleted.subject', { org: org.name }),
            heading: tr.t('dataRights.deleted.title'),
            paragraphs: [
              tr.t('dataRights.emails.deleted.done', { org: org.name }),
              tr.t('dataRights.emails.deleted.record'),
              tr.t('dataRights.emails.deleted.notYou'),
            ],
          },
          { key: `contributor-deleted:${user.id}`, kind: 'contributor-deleted', tx, forgetAfterSend: true },
        );
        await services.audit.record({ actorUserId: user.id, subjectUserId: user.id, action: 'contributor.account-deleted' }, tx);
        return after;
      });
      for (const then of afterCommit) then();
    },
  };
  return service;
}
export type DataRightsService = ReturnType<typeof createDataRightsService>;
