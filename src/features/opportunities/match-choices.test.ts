import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { opportunityAlerts, opportunityContactOptouts, opportunityEmailChoices, opportunityInvitations } from './tables.ts';
import { createOpportunity } from './test-support.ts';

const page = '/profile/opportunity-emails';
const ticked = (html: string, value: string) => new RegExp(`value="${value}"[^>]*checked`).test(html);

// A contributor chooses whether to be emailed new matching opportunities (off at first) and
// whether staff may invite them (on at first); every change is kept and shown in their data.
describe("a contributor's choices about opportunity emails", async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const rows = async (userId: string) => ({
    alerts: await db.select().from(opportunityAlerts).where(eq(opportunityAlerts.userId, userId)),
    optouts: await db.select().from(opportunityContactOptouts).where(eq(opportunityContactOptouts.userId, userId)),
    events: await db.select().from(opportunityEmailChoices).where(eq(opportunityEmailChoices.userId, userId)),
  });

  it('starts with alerts off and invitations on, keeps each change as an event, and shows them in the data download', async () => {
    const c = await joinedContributor(app, sink, 'Cerys Choices');
    expect((await c.browser.get('/profile/applications')).body).toContain(`href="${page}"`);
    const first = await c.browser.get(page);
    expect(first.statusCode).toBe(200);
    expect(ticked(first.body, 'alerts')).toBe(false);
    expect(ticked(first.body, 'invitations')).toBe(true);

    const saved = await c.browser.submit(page, page, { choices: 'alerts' });
    expect(saved.statusCode).toBe(303);
    const after = await c.browser.get(saved.headers.location as string);
    expect(after.body).toContain('Your choices have been saved.');
    expect(ticked(after.body, 'alerts')).toBe(true);
    expect(ticked(after.body, 'invitations')).toBe(false);
    // Saving the same again is no change.
    await c.browser.submit(page, page, { choices: 'alerts' });
    const now = await rows(c.id);
    expect(now.alerts).toHaveLength(1);
    expect(now.optouts).toHaveLength(1);
    expect(now.events.map((e) => [e.choice, e.turnedOn, e.via]).sort()).toEqual([
      ['alerts', true, 'page'],
      ['invitations', false, 'page'],
    ]);

    const data = await c.browser.get('/profile/data');
    expect(data.body).toContain('Turned on emails about new opportunities (on this website)');
    expect(data.body).toContain('Asked staff not to invite you to apply (on this website)');
    const json = JSON.parse((await c.browser.get('/profile/data.json')).body) as { opportunityEmails: Record<string, unknown> };
    expect(json.opportunityEmails).toMatchObject({ alerts: true, invitations: false, changes: [{}, {}] });
  });

  it('refuses a choice that is not offered and changes nothing', async () => {
    const c = await joinedContributor(app, sink, 'Bryn Badvalue');
    const res = await c.browser.submit(page, page, { choices: ['alerts', 'everything'] });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).toContain('Select from the choices shown');
    expect(await rows(c.id)).toEqual({ alerts: [], optouts: [], events: [] });
  });

  it('shows invitations not yet taken up as "Invited" on the applications page', async () => {
    const c = await joinedContributor(app, sink, 'Iolo Invited');
    const o = await createOpportunity(db, { title: 'Join our kidney group' });
    await db.insert(opportunityInvitations).values({ opportunityId: o.id, userId: c.id });
    const list = await c.browser.get('/profile/applications');
    expect(list.body).toContain('Invited to apply');
    expect(list.body).toContain(`href="/opportunities/${o.slug}"`);
    const json = JSON.parse((await c.browser.get('/profile/data.json')).body) as { opportunityEmails: { invitationsReceived: unknown[] } };
    expect(json.opportunityEmails.invitationsReceived).toMatchObject([{ opportunity: 'Join our kidney group' }]);
  });

  it('erases the choices and their history with the account', async () => {
    const c = await joinedContributor(app, sink, 'Dilys Deleted');
    await c.browser.submit(page, page, { choices: 'alerts' });
    expect((await rows(c.id)).events).toHaveLength(2);
    await c.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' });
    expect(await rows(c.id)).toEqual({ alerts: [], optouts: [], events: [] });
  });
});
