import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { user } from '#src/platform/identity/tables.ts';
import { consentEvents } from '#src/features/data-rights/tables.ts';
import { seedDemoContributors, seedLivedExperienceTerms } from './demo.ts';

describe('demo contributors', async () => {
  const { app, db } = await buildTestApp();

  it('gives a new site a register staff can search, once, with consent recorded for everyone', async () => {
    await seedLivedExperienceTerms(db);
    await seedDemoContributors(db, app.services);
    await seedDemoContributors(db, app.services);
    const people = await db.select().from(user).where(eq(user.role, 'contributor'));
    expect(people.length).toBe(10);
    expect(people.every((p) => p.email.endsWith('@example.org'))).toBe(true);
    const consents = await db.select().from(consentEvents);
    expect(new Set(consents.map((c) => c.userId)).size).toBe(10);
    expect(consents).toHaveLength(10);

    const { browser } = await signedInBrowser(app, 'involvement');
    const all = await browser.get('/admin/people');
    expect(all.body).toMatch(/>10 people<\/h2>/);
    // Found by the start of a word in what they wrote, through the search trigger.
    const found = await browser.get('/admin/people?q=sickle');
    expect(found.body).toContain('Margaret Okafor');
    expect(found.body).not.toContain('Tom Pritchard');
  });
});
