import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { loadConfig } from '#src/config.ts';
import { profileFeature } from '#src/features/profile/index.ts';
import { staffAccountsFeature } from '#src/features/staff-accounts/index.ts';
import { opportunitiesFeature } from './index.ts';
import { applicationAnswers, applicationReviews, applications } from './tables.ts';

describe('demo opportunities', async () => {
  const { app, db, services } = await buildTestApp();
  // The seeds this one builds on, in the features' order, then this one twice: nothing is added again.
  const ctx = { db, services, config: loadConfig({ NODE_ENV: 'test' }), log: () => {} };
  for (const feature of [profileFeature, staffAccountsFeature, opportunitiesFeature, opportunitiesFeature]) await feature.seed!(ctx);

  it('three open of different kinds on the public listing, and one whose selection is done', async () => {
    const counts = await services.opportunities.counts();
    expect(counts).toMatchObject({ open: 3, 'selection-done': 1 });
    const list = await new Browser(app).get('/opportunities');
    expect(list.body).toContain('Review our report on waiting for planned surgery');
    expect(list.body).toContain('Join the lived experience group for the commission on blood donation');
    expect(list.body).toContain('Help us rewrite our house style guide');
    const page = await new Browser(app).get('/opportunities/join-the-lived-experience-group-for-the-blood-donation-commission');
    expect(page.body).toContain('Coproduce House, 12 Market Street');
  });

  it('applications from the demo contributors, once: sent ones with answers, a draft, and a selection told', async () => {
    const byState = await db.select({ state: applications.state, n: count() }).from(applications).groupBy(applications.state);
    expect(Object.fromEntries(byState.map((r) => [r.state, r.n]))).toEqual({ submitted: 14, draft: 1 });
    // Two answers from each sent application to the two opportunities with questions, one from the draft.
    expect((await db.select({ n: count() }).from(applicationAnswers))[0]!.n).toBe(13);
    const welsh = await db.select().from(applications).where(eq(applications.language, 'cy'));
    expect(welsh).toHaveLength(1);

    const conference = (await db.select().from(applications)).filter((a) => a.selection !== 'new');
    const decided = (s: string) => conference.filter((a) => a.selection === s).length;
    expect([decided('selected'), decided('waitlisted'), decided('not-selected')]).toEqual([3, 1, 2]);
    expect(conference.every((a) => a.opportunityId === conference[0]!.opportunityId && a.outcomeSentAt)).toBe(true);
    expect(conference.filter((a) => a.selection === 'not-selected').every((a) => a.feedback)).toBe(true);
    const reviewer = await services.identity.findAccountByEmail('grace.adeyemi@example.org');
    const reviews = await db.select().from(applicationReviews);
    expect(reviews).toHaveLength(6);
    expect(reviews.every((r) => r.reviewerId === reviewer!.id && r.score)).toBe(true);

    const { browser } = await signedInBrowser(app, 'involvement');
    const staffPage = await browser.get(`/admin/opportunities/${conference[0]!.opportunityId}/applications`);
    expect(staffPage.statusCode).toBe(200);
    expect(staffPage.body).toContain('Margaret Okafor');
  });
});
