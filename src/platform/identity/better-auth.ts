import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { BetterAuthInstance } from './better-auth-instance.ts';
import type { AuthDeps } from './auth-options.ts';
import { madeOnFirstUse } from '#src/lib/first-use.ts';

export {
  MAGIC_LINK_MINUTES,
  PASSWORD_RESET_MINUTES,
  SESSION_COOKIE_PREFIX,
  passkeyRelyingParty,
  passwordHashing,
  type AuthDeps,
  type MagicLinkRequest,
  type PasswordResetRequest,
} from './auth-options.ts';

// better-auth owns password hashing, session tokens and cookies; we call its API from our own
// server-rendered routes and never mount its JSON endpoints. It is loaded and made the first time
// something calls it, not at start (ADR 10): every `api` method and `$context` is already
// asynchronous, so this object stands in for it with the same types. An anonymous reader (no
// session cookie: plugin.ts) never loads it; the first sign-in, or the first request with a
// session cookie, waits for it once (about 0.5 s on a 2-core host). A failed load is tried again
// on the next call.
export type Auth = { api: BetterAuthInstance['api']; readonly $context: BetterAuthInstance['$context'] };

export function createAuth(db: Db, config: Config, deps: AuthDeps = {}): Auth {
  const instance = madeOnFirstUse(async () => (await import('./better-auth-instance.ts')).makeBetterAuth(db, config, deps)).get;
  const methods = new Map<PropertyKey, (...args: unknown[]) => Promise<unknown>>();
  const api = new Proxy({} as BetterAuthInstance['api'], {
    get(_target, name) {
      // Not a promise, and nothing else but better-auth's own method names.
      if (typeof name !== 'string' || name === 'then') return undefined;
      let method = methods.get(name);
      if (!method) {
        method = async (...args: unknown[]) => {
          const real = (await instance()).api as unknown as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
          return real[name]!(...args);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
  return {
    api,
    get $context() {
      return instance().then((real) => real.$context);
    },
  };
}
