import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { Db } from '../../db/client.ts';
import type { Config } from '../../config.ts';
import { account, session, user, verification } from './tables.ts';

export const SESSION_COOKIE_PREFIX = 'coproduce';

// better-auth owns password hashing, session tokens and cookies; we call its API from our own
// server-rendered routes and never mount its JSON endpoints.
export function createAuth(db: Db, config: Config) {
  return betterAuth({
    appName: 'Coproduce',
    database: drizzleAdapter(db, { provider: 'pg', schema: { user, session, account, verification } }),
    secret: config.authSecret,
    baseURL: config.baseUrl,
    basePath: '/api/auth',
    trustedOrigins: [config.baseUrl],
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'staff', input: false },
        jobTitle: { type: 'string', required: false, input: false },
      },
    },
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

export type Auth = ReturnType<typeof createAuth>;
