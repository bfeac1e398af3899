import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { contributorOrganisationAnswers, contributorOrganisations, organisations } from './tables.ts';
import { ORGANISATION_PRIVACY_VERSION } from './schema.ts';

describe('contributors say which partner organisations they belong to', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const base = {
    kind: 'charity',
    description: 'Helps people.',
    area: 'Anywhere',
    contactName: 'C',
    contactRole: 'R',
    contactEmail: 'c@example.org',
    privacyNoticeVersion: ORGANISATION_PRIVACY_VERSION,
  };
  const [oak, pine, waiting, gone, turnedDown] = await db
    .insert(organisations)
    .values([
      { ...base, name: 'Oak Lane Carers', status: 'approved' as const },
      { ...base, name: 'Pine Street Peer Group', kind: 'user-led', status: 'approved' as const },
      { ...base, name: 'Waiting Room Collective', status: 'pending' as const },
      { ...base, name: 'Gone Away Trust', status: 'archived' as const },
      { ...base, name: 'Turned Down Ltd', status: 'declined' as const },
    ])
    .returning();
  const step = '/profile/organisations';
  const save = (browser: Browser, organisations: string | string[]) => browser.submit(step, step, { organisations });

  it('offers approved organisations only, with None of these, and marks the task done when answered', async () => {
    const c = await joinedContributor(app, sink, 'Olive Member');
    const profile = await c.browser.get('/profile');
    expect(profile.body).toContain('Organisations you belong to (optional)');
    expect(profile.body).toContain('You have completed 0 of 9 steps');

    const page = await c.browser.get(step);
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    expect(page.body).toContain('Oak Lane Carers');
    expect(page.body).toContain('Pine Street Peer Group');
    expect(page.body).toContain('None of these');
    expect(page.body).toMatch(/value="none"[^>]*data-behaviour="exclusive"/);
    for (const hidden of ['Waiting Room Collective', 'Gone Away Trust', 'Turned Down Ltd']) expect(page.body).not.toContain(hidden);

    const saved = await save(c.browser, [String(oak!.id), String(pine!.id)]);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/profile?saved=organisations');
    expect((await c.browser.get('/profile')).body).toContain('You have completed 1 of 9 steps');
    expect((await c.browser.get(step)).body).toMatch(new RegExp(`value="${oak!.id}"[^>]*checked`));
    expect((await services.organisations.organisationsOf(c.id)).map((o) => o.name)).toEqual(['Oak Lane Carers', 'Pine Street Peer Group']);

    // Changing the answer keeps the date of a membership they still choose.
    const [firstOak] = await db.select().from(contributorOrganisations).where(eq(contributorOrganisations.organisationId, oak!.id));
    await save(c.browser, String(oak!.id));
    const after = await db.select().from(contributorOrganisations).where(eq(contributorOrganisations.userId, c.id));
    expect(after).toHaveLength(1);
    expect(after[0]!.createdAt.getTime()).toBe(firstOak!.createdAt.getTime());

    // None of these clears every membership; the step stays done.
    expect((await save(c.browser, 'none')).statusCode).toBe(303);
    expect(await services.organisations.organisationsOf(c.id)).toEqual([]);
    expect((await c.browser.get('/profile')).body).toContain('You have completed 1 of 9 steps');
    expect((await c.browser.get(step)).body).toMatch(/value="none"[^>]*checked/);
  });

  it('refuses unknown, pending, archived, declined and malformed choices, and none mixed with others, changing nothing', async () => {
    const c = await joinedContributor(app, sink, 'Ursula Checker');
    await save(c.browser, String(pine!.id));
    for (const bad of [
      ['999999'],
      [String(waiting!.id)],
      [String(gone!.id)],
      [String(turnedDown!.id)],
      ['abc'],
      ['-1'],
      ['1.5'],
      ['<script>'],
      ['none', String(oak!.id)],
      ['1'.repeat(30)],
    ]) {
      const res = await save(c.browser, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).not.toContain('<script>');
    }
    expect((await services.organisations.organisationsOf(c.id)).map((o) => o.id)).toEqual([pine!.id]);
  });

  it('accepts an empty save (the step is optional): memberships cleared, the step marked Skipped', async () => {
    const c = await joinedContributor(app, sink, 'Sam Skipper');
    await save(c.browser, String(pine!.id));
    const res = await save(c.browser, []);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/profile?saved=organisations');
    expect(await services.organisations.organisationsOf(c.id)).toEqual([]);
    const profile = (await c.browser.get('/profile')).body;
    expect(profile).toMatch(/href="\/profile\/organisations"[\s\S]*?Skipped/);
    expect(profile).toContain('You have completed 0 of 9 steps');
  });

  it('lists memberships in Download my data (page and JSON) and removes them when the account is deleted', async () => {
    const c = await joinedContributor(app, sink, 'Dana Download');
    await save(c.browser, [String(oak!.id), String(pine!.id)]);
    const page = await c.browser.get('/profile/data');
    expect(page.body).toContain('Organisations you belong to');
    expect(page.body).toContain('Pine Street Peer Group (User-led group)');
    const json = JSON.parse((await c.browser.get('/profile/data.json')).body) as {
      partnerOrganisations: { name: string; kind: string; stillAPartner: boolean }[];
    };
    expect(json.partnerOrganisations).toMatchObject([
      { name: 'Oak Lane Carers', kind: 'Charity', stillAPartner: true },
      { name: 'Pine Street Peer Group', kind: 'User-led group', stillAPartner: true },
    ]);

    const deleted = await c.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' });
    expect(deleted.statusCode).toBe(303);
    expect(await db.select().from(contributorOrganisations).where(eq(contributorOrganisations.userId, c.id))).toEqual([]);
    expect(await db.select().from(contributorOrganisationAnswers).where(eq(contributorOrganisationAnswers.userId, c.id))).toEqual([]);
    // The organisations themselves stay.
    expect(await db.select().from(organisations).where(eq(organisations.id, oak!.id))).toHaveLength(1);
  });

  it('an organisation with members cannot be deleted from the database (it is archived instead)', async () => {
    const c = await joinedContributor(app, sink, 'Rita Restrict');
    await save(c.browser, String(oak!.id));
    await expect(db.delete(organisations).where(eq(organisations.id, oak!.id))).rejects.toThrow();
  });

  it('the step is for contributors only: anonymous to sign in, staff 403, and nobody sees another person’s answer', async () => {
    const anonymous = await new Browser(app).get(step);
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/sign-in/email');
    for (const role of ['staff', 'involvement', 'admin'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get(step)).statusCode, role).toBe(403);
      expect((await browser.submit('/organisations', step, { organisations: 'none' })).statusCode, role).toBe(403);
    }
    const a = await joinedContributor(app, sink, 'Amy Alone');
    const b = await joinedContributor(app, sink, 'Ben Beside');
    await save(a.browser, String(oak!.id));
    expect((await b.browser.get(step)).body).not.toMatch(new RegExp(`value="${oak!.id}"[^>]*checked`));
  });
});
