import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { settings } from './tables.ts';

// Settings change rarely and are read on every page; a short cache keeps several instances
// consistent within seconds without a database round trip per request.
const TTL_MS = 5000;

export async function writeSetting(runner: Db | Tx, key: string, value: unknown) {
  await runner
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}

// One value kept in the settings table under its own key (the site's settings, how staff sign
// in, the community rules), so that one form can never overwrite another's. `read` turns what was
// saved (null before the first save) into the value, filling in defaults.
export function settingsDocument<T>(db: Db, key: string, read: (saved: unknown) => T) {
  let cached: { value: T; at: number } | null = null;
  let refreshing: Promise<T> | null = null;

  function load(): Promise<T> {
    refreshing ??= (async () => {
      try {
        const [row] = await db.select().from(settings).where(eq(settings.key, key));
        const value = read(row ? row.value : null);
        cached = { value, at: Date.now() };
        return value;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  return {
    // Never waits for the database once a value is known: a stale value is returned at once and
    // refreshed in the background. Code inside a transaction (which holds a pooled connection, or
    // PGlite's only one) may call this without risking a wait for a second connection.
    get: async (): Promise<T> => {
      if (!cached) return load();
      if (Date.now() - cached.at >= TTL_MS) load().catch(() => {});
      return cached.value;
    },
    update: async (next: T, runner: Db | Tx = db): Promise<void> => {
      await writeSetting(runner, key, next);
      cached = { value: read(next), at: Date.now() };
    },
    // Whether anything was ever saved under the key (a new installation has nothing).
    saved: async (): Promise<boolean> => {
      const [row] = await db.select({ key: settings.key }).from(settings).where(eq(settings.key, key));
      return !!row;
    },
  };
}
