import { describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { opportunityAlerts, opportunityEmailChoices } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';
import { alertRound, createAlertJob } from './match-alerts.ts';

const at = (iso: string) => new Date(iso);
const stopLinkIn = (text: string) => /http:\/\/localhost:3000(\/opportunity-alerts\/stop\/[^\s]+)/.exec(text)?.[1];

describe('the daily round of alerts', () => {
  it('is due from 07:00 UK time, summer and winter', () => {
    expect(alertRound(at('2026-07-01T05:59:00Z'))).toEqual({ due: at('2026-06-30T06:00:00Z'), day: '2026-06-30' });
    expect(alertRound(at('2026-07-01T06:00:00Z'))).toEqual({ due: at('2026-07-01T06:00:00Z'), day: '2026-07-01' });
    expect(alertRound(at('2026-12-01T06:30:00Z'))).toEqual({ due: at('2026-11-30T07:00:00Z'), day: '2026-11-30' });
    expect(alertRound(at('2026-12-01T23:30:00Z'))).toEqual({ due: at('2026-12-01T07:00:00Z'), day: '2026-12-01' });
  });
});

// People with alerts on get, once a day, the open opportunities published since they were last
// considered that match them, in their language, with a stop link that works without signing in.
describe('emailing new matching opportunities', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  expect((await services.profile.addTerm({ category: 'condition', label: 'Asthma' })).ok).toBe(true);
  const asthma = (await services.profile.terms()).find((t) => t.label === 'Asthma')!.id;
  const day1 = at('2026-03-10T09:00:00Z');
  const before = at('2026-03-09T09:00:00Z');
  const cy = await insertContributor(db, 'Gwen Gymraeg', { termIds: [asthma], region: 'Wales', language: 'cy', availableWays: ['online'] });
  const en = await insertContributor(db, 'Eddie English', { interests: ['surveys'], region: 'London' });
  const nothing = await insertContributor(db, 'Nel Nothing', { interests: ['events'], region: 'Scotland' });
  const off = await insertContributor(db, 'Olly Off', { termIds: [asthma], region: 'Wales' });
  for (const p of [cy, en, nothing]) await db.insert(opportunityAlerts).values({ userId: p.id, lastSentAt: before });
  const published = (d: Date) => ({ publishedAt: d, closesAt: at('2026-04-30T17:00:00Z') });
  const asthmaReview = await createOpportunity(db, {
    ...published(at('2026-03-09T12:00:00Z')),
    title: 'Asthma leaflet review',
    soughtTermIds: [asthma],
  });
  const survey = await createOpportunity(db, {
    ...published(at('2026-03-09T13:00:00Z')),
    title: 'Survey on GP access',
    type: 'survey',
    region: 'London',
  });
  await createOpportunity(db, { ...published(at('2026-03-08T12:00:00Z')), title: 'Older asthma group', soughtTermIds: [asthma] });
  await createOpportunity(db, {
    ...published(at('2026-03-09T12:00:00Z')),
    title: 'Draft asthma panel',
    soughtTermIds: [asthma],
    status: 'draft',
  });
  const alertsTo = (email: string) =>
    db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.kind, 'opportunity-alert'), eq(mailMessages.toAddress, email)))
      // In the order they were written: a query without an order may return them either way round.
      .orderBy(asc(mailMessages.id));

  it('sends only new matching opportunities, in each person’s language, and nobody anything twice in a day', async () => {
    // Two at a time, so the batches are walked.
    expect(await services.opportunityMatches.sendDueAlerts(day1, 2)).toEqual({ considered: 3, sent: 2 });
    const [welsh] = await alertsTo(cy.email);
    expect(welsh!.subject).toBe('Cyfle newydd a allai fod yn addas i chi');
    expect(welsh!.textBody).toContain('Asthma leaflet review');
    expect(welsh!.textBody).toContain('rydych wedi dweud wrthym am eich profiad bywyd o Asthma');
    expect(welsh!.textBody).not.toContain('Older asthma group');
    expect(welsh!.textBody).not.toContain('Draft asthma panel');
    expect(welsh!.textBody).not.toContain('Survey on GP access');
    expect(welsh!.headers).toMatchObject({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(welsh!.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/opportunity-alerts\/stop\/[^>]+>$/);
    const [english] = await alertsTo(en.email);
    expect(english!.subject).toBe('A new opportunity that may suit you');
    expect(english!.textBody).toContain(`Survey on GP access: http://localhost:3000/opportunities/${survey.slug}`);
    expect(english!.textBody).toContain('Why it may suit you: you are interested in surveys; it is in your area (London).');
    expect(await alertsTo(nothing.email)).toEqual([]);
    expect(await alertsTo(off.email)).toEqual([]);
    // Everyone was considered, with or without an email.
    const marks = await db.select().from(opportunityAlerts);
    expect(marks.every((m) => m.lastSentAt.getTime() === day1.getTime())).toBe(true);

    // Later the same day: nothing is due, even with a new opportunity.
    await createOpportunity(db, { ...published(at('2026-03-10T10:00:00Z')), title: 'Asthma app co-design', soughtTermIds: [asthma] });
    // One she has already started to apply for is not suggested to her.
    const started = await createOpportunity(db, {
      ...published(at('2026-03-10T11:00:00Z')),
      title: 'Asthma nurses panel',
      soughtTermIds: [asthma],
    });
    await createApplication(db, started.id, cy.id, { state: 'draft', submittedAt: null });
    expect(await services.opportunityMatches.sendDueAlerts(at('2026-03-10T15:00:00Z'))).toEqual({ considered: 0, sent: 0 });
    // The next morning: only what is new since.
    expect(await services.opportunityMatches.sendDueAlerts(at('2026-03-11T08:00:00Z'))).toEqual({ considered: 3, sent: 1 });
    const both = await alertsTo(cy.email);
    expect(both).toHaveLength(2);
    expect(both[1]!.textBody).toContain('Asthma app co-design');
    expect(both[1]!.textBody).not.toContain('Asthma leaflet review');
    expect(both[1]!.textBody).not.toContain('Asthma nurses panel');
    expect(asthmaReview.id).toBeGreaterThan(0);
  });

  it('delivers the one-click headers, and the stop link asks first, then stops without signing in', async () => {
    const [email] = await alertsTo(en.email);
    const delivered = await waitFor(() => sink.to(en.email)[0]);
    const headers = delivered.raw.split('\r\n\r\n')[0]!.replace(/\r\n\s+/g, ' ');
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const link = stopLinkIn(email!.textBody)!;
    expect(headers).toContain(`List-Unsubscribe: <http://localhost:3000${link}>`);
    const visitor = new Browser(app);
    const ask = await visitor.get(link);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Stop these emails');
    expect(await db.select().from(opportunityAlerts).where(eq(opportunityAlerts.userId, en.id))).toHaveLength(1);

    // A mail program's one-click POST: no cookie, no CSRF token.
    const res = await app.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You will not get these emails any more');
    expect(await db.select().from(opportunityAlerts).where(eq(opportunityAlerts.userId, en.id))).toEqual([]);
    const [event] = await db.select().from(opportunityEmailChoices).where(eq(opportunityEmailChoices.userId, en.id));
    expect(event).toMatchObject({ choice: 'alerts', turnedOn: false, via: 'email-link' });
  });

  it('refuses altered links and changes nothing', async () => {
    const [email] = await alertsTo(cy.email);
    const link = stopLinkIn(email!.textBody)!;
    const token = link.split('/').pop()!;
    const [who, mac] = token.split('.');
    const forged = [
      `/opportunity-alerts/stop/${Buffer.from(nothing.id).toString('base64url')}.${mac}`,
      `/opportunity-alerts/stop/${who}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`,
      '/opportunity-alerts/stop/not-a-token',
    ];
    for (const url of forged) {
      expect((await new Browser(app).get(url)).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url, payload: {} })).statusCode).toBe(404);
    }
    expect(await db.select().from(opportunityAlerts).where(eq(opportunityAlerts.userId, cy.id))).toHaveLength(1);
    expect(await db.select().from(opportunityAlerts).where(eq(opportunityAlerts.userId, nothing.id))).toHaveLength(1);
  });
});

// The job the app starts: a round is tried at start (and hourly), so the day's alerts go out.
describe('the alert job', async () => {
  const { app, db } = await buildTestApp();
  it('sends what is due when it runs', async () => {
    const person = await insertContributor(db, 'Jac Job', { interests: ['surveys'], region: 'London' });
    const day = 24 * 3600_000;
    await db.insert(opportunityAlerts).values({ userId: person.id, lastSentAt: new Date(Date.now() - 3 * day) });
    await createOpportunity(db, {
      type: 'survey',
      region: 'London',
      publishedAt: new Date(Date.now() - 2 * day),
      title: 'Survey for the job',
    });
    const job = createAlertJob();
    await job.start(app.featureContext);
    await job.stop?.(app.featureContext);
    const [sent] = await db.select().from(mailMessages).where(eq(mailMessages.toAddress, person.email));
    expect(sent!.textBody).toContain('Survey for the job');
  });
});
