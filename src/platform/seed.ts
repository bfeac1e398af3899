import type { FeatureContext } from './feature.ts';

// A database is new until its site settings exist. Only then does it get demo content (unless
// SEED_DEMO=false): every module's seed, in list order, in one transaction. An existing database
// is never touched.
export async function seedIfNew(ctx: FeatureContext, log: (msg: string) => void): Promise<'seeded' | 'initialised' | 'existing'> {
  const { settings } = ctx.services;
  if (!(await settings.isEmpty())) return 'existing';
  if (!ctx.config.seedDemo) {
    await settings.update(await settings.get());
    return 'initialised';
  }
  await ctx.db.transaction(async (tx) => {
    for (const feature of ctx.extensions.features) {
      if (feature.seed) await feature.seed({ db: tx, config: ctx.config, services: ctx.services, log });
    }
  });
  if (await settings.isEmpty()) await settings.update(await settings.get());
  return 'seeded';
}
