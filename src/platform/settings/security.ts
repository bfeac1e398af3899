import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { settings } from './tables.ts';

// How staff must sign in, kept apart from the site's settings (its own row in the key-value table)
// so the site settings form cannot lose it. Read by the staff guards on every staff request.
export type SecuritySettings = { requireTwoFactor: boolean };
export const defaultSecurity: SecuritySettings = { requireTwoFactor: false };

const KEY = 'security';
const TTL_MS = 5000;

export function createSecuritySettings(db: Db) {
  let cached: { value: SecuritySettings; at: number } | null = null;
  const load = async () => {
    const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
    const value = { ...defaultSecurity, ...((row?.value as Partial<SecuritySettings> | undefined) ?? {}) };
    cached = { value, at: Date.now() };
    return value;
  };
  return {
    async get(): Promise<SecuritySettings> {
      if (!cached) return load();
      if (Date.now() - cached.at >= TTL_MS) load().catch(() => {});
      return cached.value;
    },
    async update(next: SecuritySettings, runner: Db | Tx = db) {
      await runner
        .insert(settings)
        .values({ key: KEY, value: next })
        .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: sql`now()` } });
      cached = { value: next, at: Date.now() };
    },
  };
}
export type SecuritySettingsService = ReturnType<typeof createSecuritySettings>;
