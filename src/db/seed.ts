import type { Config } from '../config.ts';
import type { Db } from './client.ts';
import type { Feature } from '../lib/feature.ts';
import type { SettingsService } from '../features/site/service.ts';

// A database is new until its site settings exist. Only then does it get demo content (unless
// SEED_DEMO=false); an existing database is never touched.
export async function seedIfNew(opts: {
  db: Db;
  config: Config;
  features: Feature[];
  settings: SettingsService;
  log: (msg: string) => void;
}): Promise<'seeded' | 'initialised' | 'existing'> {
  if (!(await opts.settings.isEmpty())) return 'existing';
  if (!opts.config.seedDemo) {
    await opts.settings.update(await opts.settings.get());
    return 'initialised';
  }
  await opts.db.transaction(async (tx) => {
    for (const feature of opts.features) {
      if (feature.seed) await feature.seed({ db: tx, config: opts.config, log: opts.log });
    }
  });
  if (await opts.settings.isEmpty()) await opts.settings.update(await opts.settings.get());
  return 'seeded';
}
