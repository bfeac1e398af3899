import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { seedDemoOpportunities } from './demo.ts';

describe('demo opportunities', async () => {
  const { app, db, services } = await buildTestApp();
  await seedDemoOpportunities(db);

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
});
