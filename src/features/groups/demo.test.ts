import { describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { loadConfig } from '#src/config.ts';
import { profileFeature } from '#src/features/profile/index.ts';
import { staffAccountsFeature } from '#src/features/staff-accounts/index.ts';
import { groupsFeature } from './index.ts';
import { groupMembers, groups, meetingAccessRequests, meetings } from './tables.ts';

describe('demo groups and meetings', async () => {
  const { app, db, services } = await buildTestApp();
  // The seeds this one builds on, in the features' order, then this one twice: nothing is added again.
  const ctx = { db, services, config: loadConfig({ NODE_ENV: 'test' }), log: () => {} };
  for (const feature of [profileFeature, staffAccountsFeature, groupsFeature, groupsFeature]) await feature.seed!(ctx);

  it('a public group with named co-chairs and public minutes, and a private one nobody outside sees', async () => {
    expect((await db.select({ n: count() }).from(groups))[0]!.n).toBe(2);
    expect((await db.select({ n: count() }).from(groupMembers))[0]!.n).toBe(13);
    const anon = new Browser(app);
    const list = await anon.get('/groups');
    expect(list.body).toContain('Lived Experience Group');
    expect(list.body).not.toContain('First night at home');
    const page = await anon.get('/groups/lived-experience-group');
    expect(page.body).toContain('Margaret Okafor');
    const minutes = /href="(\/meetings\/\d+)#minutes"/.exec(page.body);
    expect((await anon.get(minutes![1]!)).body).toContain('The new appointment letters.');
    expect((await anon.get('/groups/first-night-at-home-co-design-group')).statusCode).toBe(404);
  });

  it('four meetings, one past, with access requests, and an open afternoon on /events and its calendar', async () => {
    const all = await db.select().from(meetings);
    expect(all).toHaveLength(4);
    expect(all.filter((m) => m.endsAt < new Date())).toHaveLength(1);
    expect((await db.select({ n: count() }).from(meetingAccessRequests))[0]!.n).toBe(8);
    const anon = new Browser(app);
    expect((await anon.get('/events')).body).toContain('Open afternoon: what happens to what you tell us');
    const feed = await anon.get('/events/calendar.ics');
    expect(feed.body).toContain('SUMMARY:Open afternoon: what happens to what you tell us');
  });
});
