import type { SeedContext } from '#src/platform/feature.ts';

// Demo content for holding us to account (filled in once the areas exist).
export async function seedDemoAccountability(_ctx: SeedContext): Promise<void> {}
