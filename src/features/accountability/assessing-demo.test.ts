import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { loadConfig } from '#src/config.ts';
import { profileFeature } from '#src/features/profile/index.ts';
import { seedDemoAssessing } from './assessing-demo.ts';
import { seedDemoStandards } from './standards-demo.ts';
import { assessmentContributorViews, assessmentParticipants, assessmentRounds } from './tables.ts';

// The demo co-assessment on the standards demo's rounds: three contributors on the completed round, all sent; on the open round
// one sent, one with a draft, one not started. Run twice, it adds nothing.
describe('demo co-assessment', async () => {
  const { db, services } = await buildTestApp();
  const ctx = { db, services, config: loadConfig({ NODE_ENV: 'test' }), log: () => {} };
  await profileFeature.seed!(ctx);
  await seedDemoStandards(ctx);
  const bySlug = async (slug: string) => (await db.select().from(assessmentRounds).where(eq(assessmentRounds.slug, slug)))[0]!;
  const done = await bySlug('2025-annual-review');
  const open = await bySlug('2026-annual-review');
  await seedDemoAssessing(ctx);
  await seedDemoAssessing(ctx);

  it('invites three contributors to each round, once', async () => {
    for (const r of [done, open])
      expect((await db.select().from(assessmentParticipants).where(eq(assessmentParticipants.roundId, r.id))).length).toBe(3);
  });

  it('counts every view on the completed round and only the sent one on the open round', async () => {
    const completed = await services.assessing.viewsFor(done.id);
    expect([...completed.values()].reduce((a, v) => a + v.count, 0)).toBe(8);
    const current = await services.assessing.viewsFor(open.id);
    expect([...current.values()].reduce((a, v) => a + v.count, 0)).toBe(3);
    expect((await db.select().from(assessmentContributorViews).where(eq(assessmentContributorViews.roundId, open.id))).length).toBe(4);
    const [r] = await db.select().from(assessmentRounds).where(eq(assessmentRounds.id, open.id));
    expect(r!.contributorsCloseOn).not.toBeNull();
  });
});
