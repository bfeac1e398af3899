import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { magicLink, twoFactor as twoFactorPlugin } from 'better-auth/plugins';
import { APIError } from 'better-auth/api';
import { passkey as passkeyPlugin } from '@better-auth/passkey';
import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import { account, passkey, session, twoFactor, user, verification } from './tables.ts';
import { sessionHooks } from './account-status.ts';
import {
  PASSWORD_RESET_MINUTES,
  MAGIC_LINK_MINUTES,
  SESSION_COOKIE_PREFIX,
  passkeyRelyingParty,
  passwordHashing,
  type AuthDeps,
} from './auth-options.ts';

// The better-auth instance itself. Only better-auth.ts loads this file, and only when the
// instance is first needed (ADR 10, "better-auth when first used"): better-auth, its plugins and
// what they bring (Kysely, the WebAuthn and ASN.1 libraries) were about 1,000 of the 2,340 modules
// the server loaded at start, and an anonymous reader never needs them.
// better-auth owns password hashing, session tokens and cookies; we call its API from our own
// server-rendered routes and never mount its JSON endpoints.
export function makeBetterAuth(db: Db, config: Config, deps: AuthDeps) {
  const relyingParty = passkeyRelyingParty(config.baseUrl);
  return betterAuth({
    appName: 'Coproduce',
    database: drizzleAdapter(db, { provider: 'pg', schema: { user, session, account, verification, passkey, twoFactor } }),
    secret: config.authSecret,
    baseURL: config.baseUrl,
    basePath: '/api/auth',
    trustedOrigins: [...new Set([config.baseUrl, ...relyingParty.origins])],
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 256,
      password: { hash: (password) => passwordHashing.hash(password), verify: (data) => passwordHashing.verify(data) },
      // Forgotten passwords: a single-use link for an hour; choosing a new password ends every session.
      resetPasswordTokenExpiresIn: PASSWORD_RESET_MINUTES * 60,
      revokeSessionsOnPasswordReset: true,
      async sendResetPassword({ user: who, token }) {
        if (!deps.sendPasswordReset) throw new Error('Password reset emails are not available in this process');
        await deps.sendPasswordReset({ user: { id: who.id, email: who.email, name: who.name }, token });
      },
    },
    // Reset tokens are stored hashed, like sign-in links: a database leak gives no working links.
    verification: { storeIdentifier: { default: 'plain', overrides: { 'reset-password:': 'hashed' } } },
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'contributor', input: false },
        jobTitle: { type: 'string', required: false, input: false },
        deactivatedAt: { type: 'date', required: false, input: false },
      },
    },
    // Deactivated and not-yet-accepted staff accounts get no session, whatever the way in.
    databaseHooks: { session: sessionHooks(db) },
    plugins: [
      // Two-factor sign-in for staff with an authenticator app (TOTP) and recovery codes. The secret
      // and codes are stored encrypted; after a password the sign-in waits for a code (our own page,
      // /sign-in/two-factor). 5 wrong codes end a sign-in attempt; 10 in a row pause the account 15 minutes.
      twoFactorPlugin({
        backupCodeOptions: { amount: 10, length: 10 },
        accountLockout: { enabled: true, maxFailedAttempts: 10, durationSeconds: 15 * 60 },
      }),
      magicLink({
        expiresIn: MAGIC_LINK_MINUTES * 60,
        // Tokens are stored hashed, so a database leak gives no working links. Single use is built in.
        storeToken: 'hashed',
        async sendMagicLink({ email, token, metadata }) {
          if (!deps.sendMagicLink) throw new Error('Email sign-in links are not available in this process');
          await deps.sendMagicLink({ email, token, metadata });
        },
      }),
      // Passkeys are for contributors only: staff keep their own sign-in rules, so a passkey that
      // belongs to a staff account (say, a contributor later made staff) signs nobody in.
      passkeyPlugin({
        rpID: relyingParty.rpID,
        rpName: 'Coproduce',
        origin: relyingParty.origins,
        advanced: { webAuthnChallengeCookie: 'passkey-challenge' },
        authentication: {
          async afterVerification({ ctx, clientData }) {
            const credentialID = typeof clientData.id === 'string' ? clientData.id : '';
            const found = await ctx.context.adapter.findOne<{ userId: string }>({
              model: 'passkey',
              where: [{ field: 'credentialID', value: credentialID }],
            });
            const owner = found ? await ctx.context.internalAdapter.findUserById(found.userId) : null;
            if ((owner as { role?: string } | null)?.role !== 'contributor')
              throw new APIError('UNAUTHORIZED', { message: 'Passkeys are for contributor accounts' });
          },
        },
      }),
    ],
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    advanced: {
      cookiePrefix: SESSION_COOKIE_PREFIX,
      useSecureCookies: config.isProduction,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure: config.isProduction },
    },
    // Our routes rate-limit sign-in themselves; better-auth's limiter only guards its HTTP handler.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // better-auth's own warnings ("Invalid password") duplicate what our routes log.
    logger: { disabled: config.env === 'test', level: 'error' },
  });
}

export type BetterAuthInstance = ReturnType<typeof makeBetterAuth>;
