import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { loadConfig } from '#src/config.ts';
import { profileFeature } from '#src/features/profile/index.ts';
import { staffAccountsFeature } from '#src/features/staff-accounts/index.ts';
import { groupsFeature } from '#src/features/groups/index.ts';
import { involvementFeature } from '#src/features/involvement/index.ts';
import { reviewsFeature } from '#src/features/reviews/index.ts';
import { seedDemoSaidDid } from './said-did-demo.ts';
import { commitments, commitmentStatuses, saidDidEntries } from './tables.ts';

describe('demo you said, we did', async () => {
  const { app, db, services } = await buildTestApp();
  // The seeds this one builds on, in the features' order, a demo commitment, then this one twice:
  // nothing is added again.
  const ctx = { db, services, config: loadConfig({ NODE_ENV: 'test' }), log: () => {} };
  for (const f of [profileFeature, staffAccountsFeature, groupsFeature, involvementFeature, reviewsFeature]) await f.seed!(ctx);
  const [status] = await db.insert(commitmentStatuses).values({ key: 'on-track', name: 'On track', category: 'on-track' }).returning();
  const [commitment] = await db
    .insert(commitments)
    .values({
      slug: 'pay-contributors-within-15-working-days',
      title: 'Pay within 15 working days',
      statusId: status!.id,
      publishedAt: new Date(),
    })
    .returning();
  await seedDemoSaidDid(ctx);
  await seedDemoSaidDid(ctx);

  it('publishes three entries: from the group meeting, the review summary and comments on the story', async () => {
    const rows = await db.select().from(saidDidEntries);
    expect(rows.map((r) => r.source).sort()).toEqual(['meeting', 'review', 'story-comments']);
    expect(rows.every((r) => r.publishedAt && r.translations.cy?.title)).toBe(true);
    const meeting = rows.find((r) => r.source === 'meeting')!;
    expect(meeting).toMatchObject({
      groupName: 'Lived Experience Group',
      sourceTitle: 'Autumn meeting: appointment letters and waiting rooms',
    });
    expect(meeting.sourcePath).toBe(`/meetings/${meeting.sourceId}`);
    const review = rows.find((r) => r.source === 'review')!;
    expect(review.sourcePath).toBe(`/reviews/${review.sourceId}/summary`);
    expect(rows.find((r) => r.source === 'story-comments')).toMatchObject({
      sourcePath: '/stories/working-with-people-not-for-them',
      commitmentId: commitment!.id,
    });
    // The staff home's count: the demo review's summary is recorded already.
    expect(await services.saidDid.summariesWithoutEntry()).toEqual([]);
  });

  it('shows them on the public list, filtered by the group', async () => {
    const visitor = new Browser(app);
    expect((await visitor.get('/you-said-we-did')).body).toContain('3 changes');
    const groupId = (await db.select().from(saidDidEntries)).find((r) => r.source === 'meeting')!.groupId;
    const page = await visitor.get(`/you-said-we-did?group=${groupId}`);
    expect(page.body).toContain('1 change');
    expect(page.body).toContain('Appointment letters that put the date first');
    const entry = await visitor.get('/you-said-we-did/paying-people-sooner');
    expect(entry.body).toContain('href="/commitments/pay-contributors-within-15-working-days"');
  });
});
