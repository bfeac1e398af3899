import { z } from 'zod';
import type { Db, Tx } from '#src/db/client.ts';
import { settingsDocument, writeSetting } from './document.ts';
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

export function createSettingsService(db: Db) {
  // The default welcome's Welsh belongs to the default welcome only: saved settings bring their
  // own translations (none, for settings saved before there were any).
  const site = settingsDocument<SiteSettings>(db, 'site', (saved) =>
    saved ? { ...defaultSettings, translations: {}, ...(saved as Partial<SiteSettings>) } : defaultSettings,
  );
  return {
    get: site.get,
    update: site.update,
    // /healthz proves the database still takes a write (a full disk refuses it) with a row of its
    // own in this key-value table, so the check needs no table of its own.
    writeHealthCheck: (runner: Db | Tx = db) => writeSetting(runner, 'health-check', { checkedAt: new Date().toISOString() }),
    // Another module's document kept with the settings under a key of its own ('rules'), cached
    // like the site's settings.
    document: <T>(key: string, read: (saved: unknown) => T) => {
      if (key === 'site' || key === 'security' || key === 'health-check') throw new Error(`The settings key ${key} is taken`);
      return settingsDocument<T>(db, key, read);
    },
    isEmpty: async () => !(await site.saved()),
  };
}
export type SettingsService = ReturnType<typeof createSettingsService>;
