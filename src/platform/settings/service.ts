import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '#src/db/client.ts';
import { settings } from './tables.ts';
import { msg } from '#src/lib/messages.ts';
import type { Translations } from '#src/lib/localised.ts';

export const moderationModes = ['all', 'first-time', 'none'] as const;
export type ModerationMode = (typeof moderationModes)[number];

// The welcome text may have a Welsh version (welcome_cy on the form), kept in `translations`
// like any other content in more than one language (docs/architecture.md, "Languages").
export const SiteSettingsSchema = z
  .object({
    name: z.string().trim().min(1, msg('site.admin.settings.errors.name')).max(120, msg('site.admin.settings.errors.nameTooLong')),
    welcome: z.string().trim().max(1000, msg('site.admin.settings.errors.welcomeTooLong')),
    welcome_cy: z.string().trim().max(1000, msg('site.admin.settings.errors.welcomeCyTooLong')).optional(),
    moderation: z.enum(moderationModes, { message: msg('site.admin.settings.errors.moderation') }),
    moderationEmail: z
      .string()
      .trim()
      .max(254)
      .refine((v) => v === '' || z.email().safeParse(v).success, msg('fields.email.format'))
      .transform((v) => v.toLowerCase())
      .default(''),
  })
  .transform(({ welcome_cy, ...rest }) => ({ ...rest, translations: welcome_cy ? { cy: { welcome: welcome_cy } } : {} }));
export type SiteSettings = Omit<z.output<typeof SiteSettingsSchema>, 'translations'> & { translations?: Translations };

export const defaultSettings: SiteSettings = {
  name: 'Coproduce',
  welcome: 'We work with patients, service users, carers and the public. Read our stories and tell us what you think.',
  translations: {
    cy: {
      welcome:
        "Rydyn ni'n gweithio gyda chleifion, defnyddwyr gwasanaethau, gofalwyr a'r cyhoedd. Darllenwch ein straeon a dywedwch wrthym beth rydych chi'n ei feddwl.",
    },
  },
  moderation: 'all',
  moderationEmail: '',
};

const KEY = 'site';
// Settings change rarely and are read on every page; a short cache keeps several instances
// consistent within seconds without a database round trip per request.
const TTL_MS = 5000;

export function createSettingsService(db: Db) {
  let cached: { value: SiteSettings; at: number } | null = null;
  let refreshing: Promise<SiteSettings> | null = null;

  function load(): Promise<SiteSettings> {
    refreshing ??= (async () => {
      try {
        const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
        // The default welcome's Welsh belongs to the default welcome only: saved settings bring
        // their own translations (none, for settings saved before there were any).
        const value = row ? { ...defaultSettings, translations: {}, ...(row.value as Partial<SiteSettings>) } : defaultSettings;
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
    async get(): Promise<SiteSettings> {
      if (!cached) return load();
      if (Date.now() - cached.at >= TTL_MS) load().catch(() => {});
      return cached.value;
    },
    async update(next: SiteSettings, runner: Db | Tx = db): Promise<void> {
      await runner
        .insert(settings)
        .values({ key: KEY, value: next })
        .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: sql`now()` } });
      cached = { value: next, at: Date.now() };
    },
    // /healthz proves the database still takes a write (a full disk refuses it) with a row of its
    // own in this key-value table, so the check needs no table of its own.
    async writeHealthCheck(runner: Db | Tx = db): Promise<void> {
      const value = { checkedAt: new Date().toISOString() };
      await runner
        .insert(settings)
        .values({ key: 'health-check', value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
    },
    // A document other modules keep with the settings under a key of their own (the community
    // rules: 'rules'), read when needed rather than cached; null until first written.
    async readDocument<T>(key: string, runner: Db | Tx = db): Promise<T | null> {
      const [row] = await runner.select().from(settings).where(eq(settings.key, key));
      return row ? (row.value as T) : null;
    },
    async writeDocument(key: string, value: unknown, runner: Db | Tx = db): Promise<void> {
      if (key === KEY) throw new Error('The site settings are written with update()');
      await runner
        .insert(settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
    },
    async isEmpty(): Promise<boolean> {
      const [row] = await db.select({ key: settings.key }).from(settings).where(eq(settings.key, KEY));
      return !row;
    },
  };
}
export type SettingsService = ReturnType<typeof createSettingsService>;
