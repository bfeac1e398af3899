import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Config } from '#src/config.ts';
import type { I18n, Lang, Translator } from '#src/lib/i18n.ts';
import type { EmailContent, MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import { emailFromWords } from '#src/platform/mail/words.ts';
import { PASSWORD_RESET_MINUTES, type Auth, type PasswordResetRequest } from './better-auth.ts';
import { staffRoles } from './roles.ts';

// The page's language travels with the request into better-auth's sendResetPassword hook, which
// has no other way to hear it.
const asking = new AsyncLocalStorage<{ lang: Lang | null }>();

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// An email whose whole point is one link that works once, for a while: the catalogue entry `words`
// has subject, heading, asked, expiry, notYou and action.
export function oneLinkEmail(
  tr: Translator,
  to: string,
  words: string,
  values: { org: string; minutes: number },
  href: string,
): EmailContent {
  return emailFromWords(tr, to, { words, paragraphs: ['asked', 'expiry', 'notYou'], values, href });
}

export type ResetAccount = { userId: string; email: string; staff: boolean };

// Forgotten passwords through better-auth (requestPasswordReset / resetPassword): it makes a
// single-use token that lasts an hour, stored hashed, and calls `send` only for an address that has
// an account. We then send only if that account has a password to forget (staff always; a
// contributor who set one): a contributor who signs in by email link is sent nothing, so the answer
// never differs and no password appears where there was none.
export function createPasswordReset(deps: { config: Config; mail: MailService; settings: SettingsService; i18n: I18n }) {
  let auth: Auth | null = null;
  const authOf = () => {
    if (!auth) throw new Error('Password reset is used before better-auth was made');
    return auth;
  };

  return {
    use(made: Auth) {
      auth = made;
    },

    async send({ user, token }: PasswordResetRequest) {
      const ctx = await authOf().$context;
      // A deactivated staff account can no longer sign in: a new password would not help it.
      const who = (await ctx.internalAdapter.findUserById(user.id)) as { deactivatedAt?: Date | null } | null;
      if (!who || who.deactivatedAt) return;
      const credential = await ctx.internalAdapter.findCredentialAccount(user.id);
      if (!credential?.password) return;
      const org = await deps.settings.get();
      const tr = deps.i18n.translator(asking.getStore()?.lang ?? null);
      const href = `${deps.config.baseUrl}/reset-password?token=${encodeURIComponent(token)}`;
      await deps.mail.enqueue(
        oneLinkEmail(tr, user.email, 'passwordReset.email', { org: org.name, minutes: PASSWORD_RESET_MINUTES }, href),
        { key: `password-reset:${hashToken(token)}`, kind: 'password-reset' },
      );
    },

    // Always resolves the same way, account or not.
    async request(email: string, lang: Lang | null) {
      await asking.run({ lang }, () => authOf().api.requestPasswordReset({ body: { email: email.toLowerCase() }, headers: new Headers() }));
    },

    // Whose account a reset link is for, or null when it is unknown, used or expired.
    async accountFor(token: string): Promise<ResetAccount | null> {
      const ctx = await authOf().$context;
      const found = await ctx.internalAdapter.findVerificationValue(`reset-password:${token}`);
      if (!found || found.expiresAt < new Date()) return null;
      const who = (await ctx.internalAdapter.findUserById(found.value)) as { id: string; email: string; role?: string } | null;
      if (!who) return null;
      return { userId: who.id, email: who.email, staff: (staffRoles as readonly (string | undefined)[]).includes(who.role) };
    },

    // Sets the new password and ends every session of the account. False when the link was
    // used or expired in the meantime.
    async complete(token: string, newPassword: string): Promise<boolean> {
      const response = await authOf().api.resetPassword({ body: { token, newPassword }, headers: new Headers(), asResponse: true });
      return response.ok;
    },
  };
}
export type PasswordReset = ReturnType<typeof createPasswordReset>;
