import { madeOnFirstUse } from '#src/lib/first-use.ts';
import { msg } from '#src/lib/messages.ts';
import type { Translator } from '#src/lib/i18n.ts';

// Issue 17, finding 4: 50 wrong passwords for one account from 50 addresses were all checked (the
// per-address limit never saw more than one). This counts failures per account (by email address,
// known or not, so it tells nobody which addresses have accounts). Time-based, never permanent: the
// window ends by itself, and sign-in by emailed link is not affected, so nobody can lock an owner
// out for good. Shared by every instance through Redis when REDIS_URL is set; otherwise kept in
// this process (one instance).
export const GUESS_LIMIT = 10;
export const GUESS_WINDOW_MS = 15 * 60 * 1000;
// What the sign-in forms say once the limit is reached (the only new sentence; translate it here).
export const TOO_MANY_GUESSES = msg('accounts.errors.tooManyGuesses');

// The email to the account's owner when the limit is reached, in their language.
export function tooManyGuessesEmail(to: string, orgName: string, baseUrl: string, tr: Translator) {
  return {
    to,
    lang: tr.lang,
    subject: tr.t('accounts.emails.tooManyGuesses.subject', { org: orgName }),
    heading: tr.t('accounts.emails.tooManyGuesses.heading'),
    paragraphs: [
      tr.t('accounts.emails.tooManyGuesses.said', { org: orgName, count: GUESS_LIMIT }),
      tr.t('accounts.emails.tooManyGuesses.ifYou'),
      tr.t('accounts.emails.tooManyGuesses.ifNotYou'),
    ],
    action: { text: tr.t('accounts.emails.tooManyGuesses.action'), href: `${baseUrl}/sign-in` },
  };
}

export type GuessStore = {
  // Adds one failure and returns how many there have been in the current window.
  fail(key: string, windowMs: number): Promise<number>;
  count(key: string): Promise<number>;
  clear(key: string): Promise<void>;
  close(): Promise<void>;
};

export function memoryGuessStore(now = () => Date.now()): GuessStore {
  const windows = new Map<string, { count: number; endsAt: number }>();
  const live = (key: string) => {
    const w = windows.get(key);
    if (w && w.endsAt <= now()) windows.delete(key);
    return windows.get(key);
  };
  return {
    async fail(key, windowMs) {
      if (windows.size > 100_000) for (const k of [...windows.keys()].slice(0, 10_000)) live(k);
      const w = live(key) ?? { count: 0, endsAt: now() + windowMs };
      w.count++;
      windows.set(key, w);
      return w.count;
    },
    count: async (key) => live(key)?.count ?? 0,
    clear: async (key) => void windows.delete(key),
    close: async () => {},
  };
}

// ioredis is loaded, and the connection made, with the first guess counted (ADR 10).
export function redisGuessStore(url: string): GuessStore {
  const redis = madeOnFirstUse(async () => {
    const { Redis } = await import('ioredis');
    const client = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    client.on('error', () => {});
    return client;
  });
  const k = (key: string) => `coproduce:password-guesses:${key}`;
  return {
    async fail(key, windowMs) {
      // The window starts with the first failure and is never extended by later ones.
      const [[, count]] = (await (await redis.get()).multi().incr(k(key)).pexpire(k(key), windowMs, 'NX').exec()) as [[null, number]];
      return count;
    },
    count: async (key) => Number((await (await redis.get()).get(k(key))) ?? 0),
    clear: async (key) => void (await (await redis.get()).del(k(key))),
    close: async () => {
      const opened = redis.ifMade();
      if (opened) await (await opened).quit();
    },
  };
}

export function createPasswordGuesses(store: GuessStore, limit = GUESS_LIMIT, windowMs = GUESS_WINDOW_MS) {
  const key = (email: string) => email.trim().toLowerCase();
  return {
    store,
    async isLimited(email: string) {
      return (await store.count(key(email))) >= limit;
    },
    // True exactly once per window: when this failure reaches the limit (the moment to tell the owner).
    async failed(email: string) {
      return (await store.fail(key(email), windowMs)) === limit;
    },
    succeeded: (email: string) => store.clear(key(email)),
  };
}
export type PasswordGuesses = ReturnType<typeof createPasswordGuesses>;
