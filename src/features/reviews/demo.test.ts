import { describe, expect, it } from 'vitest';
import { count, eq, isNotNull } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { loadConfig } from '#src/config.ts';
import { profileFeature } from '#src/features/profile/index.ts';
import { staffAccountsFeature } from '#src/features/staff-accounts/index.ts';
import { groupsFeature } from '#src/features/groups/index.ts';
import { involvementFeature } from '#src/features/involvement/index.ts';
import { involvementRecords } from '#src/features/involvement/tables.ts';
import { reviewsFeature } from './index.ts';
import { reviewComments, reviewResponses, reviewReviewers, reviews, reviewSections } from './tables.ts';

describe('demo document reviews', async () => {
  const { db, services } = await buildTestApp();
  // The seeds this one builds on, in the features' order, then this one twice: nothing is added again.
  const ctx = { db, services, config: loadConfig({ NODE_ENV: 'test' }), log: () => {} };
  for (const f of [profileFeature, staffAccountsFeature, groupsFeature, involvementFeature, reviewsFeature, reviewsFeature])
    await f.seed!(ctx);

  it('has an open report review (two sent, one reading) and the style guide review closed with its summary published', async () => {
    const all = await db.select().from(reviews);
    expect(all.map((r) => [r.kind, r.state, !!r.summaryPublishedAt]).sort()).toEqual([
      ['house-style', 'closed', true],
      ['research-report', 'open', false],
    ]);
    const report = all.find((r) => r.kind === 'research-report')!;
    const states = await db.select({ state: reviewReviewers.state }).from(reviewReviewers).where(eq(reviewReviewers.reviewId, report.id));
    expect(states.map((s) => s.state).sort()).toEqual(['accepted', 'submitted', 'submitted']);
    // The staff list counts each review's own reviewers (a subquery once compared the reviewer's id
    // with itself).
    const listed = (await services.reviewCommission.list()).find((l) => l.review.id === report.id)!;
    expect([listed.invited, listed.waiting, listed.accepted, listed.declined, listed.submitted]).toEqual([3, 0, 1, 0, 2]);
    expect((await db.select({ n: count() }).from(reviewSections))[0]!.n).toBe(6);
    // Every comment on the style guide is answered; some on the report are.
    const comments = await db.select().from(reviewComments);
    const answered = await db.select().from(reviewResponses);
    expect([comments.length, answered.length]).toEqual([6, 5]);
  });

  it('counts each review sent as involvement that can be claimed', async () => {
    const records = await db.select().from(involvementRecords).where(eq(involvementRecords.source, 'review'));
    expect(records).toHaveLength(4);
    expect(records.every((r) => r.activityKind === 'review' && r.minutes === 90 && r.role === 'reviewer')).toBe(true);
    expect((await db.select().from(reviewReviewers).where(isNotNull(reviewReviewers.submittedAt))).length).toBe(4);
  });
});
