import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Auth } from '#src/platform/identity/better-auth.ts';
import { toWebHeaders } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { Config } from '#src/config.ts';
import type { FieldErrors } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_PASSKEY_NAME_LENGTH = 60;

// Passwords people pick most often that are long enough to pass the length rule (lists of leaked
// passwords, lower-cased). Short common ones are already refused by the length rule.
const commonPasswords = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '111111111111',
  '000000000000',
  '123123123123',
  '987654321098',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'password1234!',
  'password123!',
  'qwertyuiopas',
  'qwertyuiop123',
  'qwerty123456',
  '1qaz2wsx3edc',
  '1q2w3e4r5t6y',
  'qwertyqwerty',
  'asdfghjkl123',
  'iloveyou1234',
  'iloveyou123!',
  'letmein12345',
  'welcome12345',
  'welcome123456',
  'changeme1234',
  'administrator',
  'abcdefghijkl',
  'abcd1234abcd',
  'abc123abc123',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'trustno11234',
  'monkey123456',
  'dragon123456',
  'superman1234',
  'starwars1234',
  'whatever1234',
  'mypassword123',
  'mypassword1234',
  'correcthorsebatterystaple',
  'correct horse battery staple',
  'nhspassword1',
  'nhspassword123',
  'nhspassword1234',
  'contributor123',
  'coproduce1234',
  'summer2024!!',
  'winter2024!!',
  'spring2025!!!',
  'autumn2025!!!',
  'liverpool1234',
  'chelsea12345',
  'arsenal12345',
  'manchester123',
]);

// The address itself, or its name part with a few digits or symbols around it.
const lettersOf = (s: string) => s.toLowerCase().replace(/[^\p{L}]/gu, '');
const isLikeEmail = (password: string, email: string) => {
  const local = lettersOf(email.split('@')[0] ?? '');
  return password.toLowerCase() === email.toLowerCase() || (local.length >= 4 && lettersOf(password) === local);
};

export type PasswordForm = { password: string; confirmPassword: string };

// The rules for a contributor's own password. Passwords are never trimmed: every character counts.
export function checkNewPassword(
  form: Record<string, unknown>,
  email: string,
): { ok: true; password: string } | { ok: false; errors: FieldErrors } {
  const password = typeof form.password === 'string' ? form.password : '';
  const confirm = typeof form.confirmPassword === 'string' ? form.confirmPassword : '';
  const errors: FieldErrors = {};
  if (!password) errors.password = msg('accounts.methods.errors.newPasswordMissing');
  else if (password.length < MIN_PASSWORD_LENGTH) errors.password = msg('accounts.methods.errors.tooShort', { min: MIN_PASSWORD_LENGTH });
  else if (password.length > MAX_PASSWORD_LENGTH) errors.password = msg('accounts.errors.passwordTooLong', { max: MAX_PASSWORD_LENGTH });
  else if (/^(.)\1*$/u.test(password) || commonPasswords.has(password.toLowerCase()) || isLikeEmail(password, email)) {
    errors.password = msg('accounts.methods.errors.easyToGuess');
  }
  if (!errors.password) {
    if (!confirm) errors.confirmPassword = msg('accounts.methods.errors.confirmMissing');
    else if (confirm !== password) errors.confirmPassword = msg('accounts.methods.errors.noMatch');
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, password };
}

export type PasskeySummary = { id: string; name: string; createdAt: Date | null };
export type SignInChange = 'password-added' | 'password-changed' | 'password-removed' | 'passkey-added' | 'passkey-removed';

// The email's words (locales/<lang>/accounts.json, accounts.emails.<change>.subject and .said).
const noticeKey: Record<SignInChange, string> = {
  'password-added': 'passwordAdded',
  'password-changed': 'passwordChanged',
  'password-removed': 'passwordRemoved',
  'passkey-added': 'passkeyAdded',
  'passkey-removed': 'passkeyRemoved',
};

// A contributor's sign-in methods: the email link (always), a password and passkeys. Everything
// goes through better-auth's API or internal adapter, so hashing and storage stay its business.
export function createSignInMethods(deps: { auth: Auth; mail: MailService; settings: SettingsService; config: Config }) {
  const { auth, mail } = deps;

  return {
    async hasPassword(userId: string) {
      const ctx = await auth.$context;
      const account = await ctx.internalAdapter.findCredentialAccount(userId);
      return !!account?.password;
    },

    async passkeys(req: FastifyRequest): Promise<PasskeySummary[]> {
      const tr = req.tr;
      const rows = await auth.api.listPasskeys({ headers: toWebHeaders(req) });
      return rows
        .map((p) => ({
          id: p.id,
          name: p.name || tr.t('accounts.methods.passkeys.unnamed'),
          createdAt: p.createdAt ? new Date(p.createdAt) : null,
        }))
        .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
    },

    async addPassword(req: FastifyRequest, password: string) {
      await auth.api.setPassword({ body: { newPassword: password }, headers: toWebHeaders(req) });
    },

    // Returns better-auth's response (it sets a new session cookie: other sessions are revoked),
    // or null when the current password was wrong.
    async changePassword(req: FastifyRequest, currentPassword: string, newPassword: string): Promise<Response | null> {
      const response = await auth.api.changePassword({
        body: { currentPassword, newPassword, revokeOtherSessions: true },
        headers: toWebHeaders(req),
        asResponse: true,
      });
      return response.ok ? response : null;
    },

    async removePassword(userId: string) {
      const ctx = await auth.$context;
      const account = await ctx.internalAdapter.findCredentialAccount(userId);
      if (account) await ctx.internalAdapter.deleteAccount(account.id);
    },

    // False when the passkey is not this person's (or no longer exists).
    async removePasskey(req: FastifyRequest, id: string) {
      const response = await auth.api.deletePasskey({ body: { id }, headers: toWebHeaders(req), asResponse: true });
      return response.ok;
    },

    // Tells the person by email whenever a way into their account is added, changed or removed,
    // in the language of the page they made the change on.
    async notify(user: CurrentUser, change: SignInChange, tr: Translator) {
      const org = await deps.settings.get();
      const key = `accounts.emails.${noticeKey[change]}`;
      const subject = tr.t(`${key}.subject`);
      await mail.enqueue(
        {
          to: user.email,
          lang: tr.lang,
          subject,
          heading: subject,
          paragraphs: [
            tr.t(`${key}.said`),
            tr.t('accounts.emails.notYou', { link: `${deps.config.baseUrl}/sign-in/email`, org: org.name }),
          ],
          action: { text: tr.t('accounts.emails.checkMethods'), href: `${deps.config.baseUrl}/profile/sign-in-methods` },
        },
        { key: `sign-in-method:${user.id}:${change}:${randomUUID()}`, kind: 'contributor-sign-in-method' },
      );
    },
  };
}
export type SignInMethods = ReturnType<typeof createSignInMethods>;
