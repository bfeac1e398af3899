import { createHash } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Config } from '#src/config.ts';
import type { I18n } from '#src/lib/i18n.ts';
import type { Db, Tx } from '#src/db/client.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import { MAGIC_LINK_MINUTES, type MagicLinkRequest } from './better-auth.ts';
import { signInLinkRequests } from './tables.ts';

// Why a link was asked for: joining the contributor network, or signing in to an account.
export type LinkPurpose = 'join' | 'sign-in';
export type LinkRequest = { purpose: LinkPurpose; details: Record<string, string> };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// better-auth makes the token; we send our own email, linking to our own page (a Continue button),
// never to better-auth's GET endpoint that a link scanner could follow. What the person asked for
// with the link waits, keyed by the token's hash, until they follow it.
export function createSignInLinks(db: Db, deps: { config: Config; mail: MailService; settings: SettingsService; i18n: I18n }) {
  const { config, mail } = deps;
  return {
    async send({ email, token, metadata }: MagicLinkRequest) {
      const joining = metadata?.purpose === 'join';
      const tokenHash = hashToken(token);
      const details = (metadata?.details ?? {}) as Record<string, string>;
      // A join always waits with its link; a sign-in only when it asked for something (a page to return to).
      if (joining || Object.keys(details).length) {
        await db.delete(signInLinkRequests).where(lt(signInLinkRequests.expiresAt, new Date()));
        await db
          .insert(signInLinkRequests)
          .values({
            tokenHash,
            email,
            purpose: joining ? 'join' : 'sign-in',
            details,
            expiresAt: new Date(Date.now() + MAGIC_LINK_MINUTES * 60_000),
          })
          .onConflictDoNothing();
      }
      const org = await deps.settings.get();
      const href = `${config.baseUrl}/sign-in/continue?token=${encodeURIComponent(token)}`;
      // In the language of the page the link was asked for on.
      const tr = deps.i18n.translator(typeof metadata?.lang === 'string' ? metadata.lang : null);
      const words = joining ? 'identity.emails.join' : 'identity.emails.signIn';
      await mail.enqueue(
        {
          to: email,
          lang: tr.lang,
          subject: tr.t(`${words}.subject`, { org: org.name }),
          heading: tr.t(`${words}.heading`),
          paragraphs: [
            tr.t(`${words}.asked`, { org: org.name }),
            tr.t('identity.emails.expiry', { minutes: MAGIC_LINK_MINUTES }),
            tr.t('identity.emails.notYou'),
          ],
          action: { text: tr.t(`${words}.action`), href },
        },
        { key: `contributor-link:${tokenHash}`, kind: joining ? 'contributor-join' : 'contributor-sign-in' },
      );
    },

    // What was asked for with this link, once; null for a plain sign-in link or an expired request.
    async take(token: string, email: string): Promise<LinkRequest | null> {
      const [row] = await db
        .delete(signInLinkRequests)
        .where(eq(signInLinkRequests.tokenHash, hashToken(token)))
        .returning();
      if (!row || row.expiresAt <= new Date() || row.email !== email) return null;
      return { purpose: row.purpose as LinkPurpose, details: row.details };
    },

    async forgetAddress(email: string, runner: Db | Tx = db) {
      await runner.delete(signInLinkRequests).where(eq(signInLinkRequests.email, email));
    },
  };
}
export type SignInLinks = ReturnType<typeof createSignInLinks>;
