import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { opportunities } from './tables.ts';
import { createApplication, createOpportunity } from './test-support.ts';

const inDays = (days: number) => {
  const d = new Date(Date.now() + days * 24 * 3600_000);
  return {
    'closesAt-day': String(d.getUTCDate()),
    'closesAt-month': String(d.getUTCMonth() + 1),
    'closesAt-year': String(d.getUTCFullYear()),
  };
};

// What an involvement lead types for a peer review paid by the hour.
const advert = (over: Record<string, string | string[]> = {}) => ({
  type: 'peer-review',
  title: 'Review our report on waiting for hip operations',
  summary: 'Read a short draft and tell us what is unclear.',
  role: 'You will read the **draft** and send us comments.',
  involved: 'About three hours of reading, once, over two weeks.',
  timeCommitment: 'About 3 hours',
  mode: 'online',
  paid: 'yes',
  fee: '25',
  feeUnit: 'hour',
  expensesCovered: ['technology'],
  places: '3',
  ...inDays(10),
  'closesAt-time': '17:00',
  contactName: 'Indira Shah',
  contactEmail: 'Involvement@Example.org',
  ...over,
});

describe('staff write, publish and close opportunities', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const { browser, staff } = await signedInBrowser(app, 'involvement');
  const auditFor = async (id: number) =>
    (await db.select().from(auditEvents)).filter((e) => (e.details as { opportunityId?: number }).opportunityId === id);

  it('saves a draft, which the public cannot see until it is published', async () => {
    const res = await browser.submit('/admin/opportunities/new', '/admin/opportunities/new', advert());
    expect(res.statusCode).toBe(303);
    const id = Number(/\/admin\/opportunities\/(\d+)\?saved=created/.exec(res.headers.location as string)![1]);
    const [row] = await db.select().from(opportunities).where(eq(opportunities.id, id));
    expect(row).toMatchObject({
      status: 'draft',
      slug: 'review-our-report-on-waiting-for-hip-operations',
      feePence: 2500,
      feeUnit: 'hour',
      contactEmail: 'involvement@example.org',
      createdBy: staff.id,
      roleHtml: '<p>You will read the <strong>draft</strong> and send us comments.</p>',
    });
    expect(row!.closesAt!.getUTCMinutes()).toBe(0);
    expect(await new Browser(app).get(`/opportunities/${row!.slug}`)).toMatchObject({ statusCode: 404 });

    const page = await browser.get(res.headers.location as string);
    expect(page.body).toContain('Opportunity saved as a draft');
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    const published = await browser.submit(`/admin/opportunities/${id}`, `/admin/opportunities/${id}/publish`, {});
    expect(published.headers.location).toBe(`/admin/opportunities/${id}?saved=published`);
    const publicPage = await new Browser(app).get(`/opportunities/${row!.slug}`);
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).toContain('<meta property="og:title" content="Review our report on waiting for hip operations">');
    expect(publicPage.body).toContain(`href="/opportunities/${row!.slug}/apply"`);
    expect(publicPage.body).toContain('£25.00 an hour');
    expect(publicPage.body).toContain('Phone, data or equipment');
    // A second click changes nothing.
    const again = await browser.submit(`/admin/opportunities/${id}`, `/admin/opportunities/${id}/publish`, {});
    expect(again.statusCode).toBe(409);
    expect((await auditFor(id)).map((e) => e.action)).toEqual(['opportunity.published']);
  });

  it('refuses missing and contradictory fields with the error summary, saving nothing', async () => {
    const before = (await db.select().from(opportunities)).length;
    const res = await browser.submit(
      '/admin/opportunities/new',
      '/admin/opportunities/new',
      advert({
        title: '',
        fee: '-5',
        mode: 'in-person',
        'startsOn-day': '10',
        'startsOn-month': '3',
        'startsOn-year': '2027',
        'endsOn-day': '1',
        'endsOn-month': '3',
        'endsOn-year': '2027',
        'closesAt-year': '2020',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    for (const text of [
      'Enter a title',
      'The fee must be more than £0',
      'Enter the venue address, or choose online',
      'The end date must be the same as or after the start date',
      'The closing date must be in the future',
    ]) {
      expect(res.body).toContain(text);
    }
    expect(res.body).toContain('href="#title"');
    expect((await db.select().from(opportunities)).length).toBe(before);
    const paidNoFee = await browser.submit('/admin/opportunities/new', '/admin/opportunities/new', advert({ fee: '' }));
    expect(paidNoFee.body).toContain('Enter the fee in pounds');
  });

  it('extends the closing date and tells every applicant in their language; reopens a closed one', async () => {
    const o = await createOpportunity(db, { translations: { cy: { title: 'Adolygu ein hadroddiad' } } });
    const english = await joinedContributor(app, sink, 'Ann Applicant');
    const welsh = await joinedContributor(app, sink, 'Bryn Ymgeisydd');
    const withdrawn = await joinedContributor(app, sink, 'Cai Withdrawn');
    await createApplication(db, o.id, english.id);
    await createApplication(db, o.id, welsh.id, { state: 'draft', submittedAt: null, language: 'cy' });
    await createApplication(db, o.id, withdrawn.id, { state: 'withdrawn' });

    const bad = await browser.submit(`/admin/opportunities/${o.id}`, `/admin/opportunities/${o.id}/closing-date`, { ...inDays(-1) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The closing date must be in the future');

    const res = await browser.submit(`/admin/opportunities/${o.id}`, `/admin/opportunities/${o.id}/closing-date`, {
      ...inDays(30),
      'closesAt-time': '12:00',
    });
    expect(res.headers.location).toBe(`/admin/opportunities/${o.id}?saved=extended`);
    const toAnn = await sink.parse(await waitFor(() => sink.to(english.email).find((m) => m.raw.includes('More time'))));
    expect(toAnn.subject).toBe(`More time to apply: ${o.title}`);
    const toBryn = await sink.parse(await waitFor(() => sink.to(welsh.email).find((m) => m.raw.includes('Mwy o amser'))));
    expect(toBryn.subject).toBe('Mwy o amser i wneud cais: Adolygu ein hadroddiad');
    expect(toBryn.text).toContain('Fe wnaethoch ddechrau cais');

    await services.opportunities.close((await services.opportunities.byId(o.id))!, {
      ...staff,
      name: 'x',
      role: 'involvement',
      jobTitle: null,
    });
    const reopened = await browser.submit(`/admin/opportunities/${o.id}`, `/admin/opportunities/${o.id}/closing-date`, { ...inDays(40) });
    expect(reopened.headers.location).toBe(`/admin/opportunities/${o.id}?saved=reopened`);
    await waitFor(() => sink.to(english.email).find((m) => m.raw.includes('Open again')));
    expect(sink.to(withdrawn.email).filter((m) => /More time|Open again/.test(m.raw))).toHaveLength(0);
    expect((await auditFor(o.id)).map((e) => e.action)).toEqual(['opportunity.extended', 'opportunity.closed', 'opportunity.reopened']);
  });

  it('lists by status with counts; selection done, then archive; an archived one cannot be edited', async () => {
    const o = await createOpportunity(db, { status: 'closed', title: 'Join our maternity lived experience group' });
    const list = await browser.get('/admin/opportunities?status=closed');
    expect(list.body).toContain(`href="/admin/opportunities/${o.id}"`);
    expect((await browser.get('/admin/opportunities?status=%3Cx%3E')).statusCode).toBe(200);
    const done = await browser.submit(`/admin/opportunities/${o.id}`, `/admin/opportunities/${o.id}/selection-done`, {});
    expect(done.headers.location).toBe(`/admin/opportunities/${o.id}?saved=selection-done`);
    const archived = await browser.submit(`/admin/opportunities/${o.id}`, `/admin/opportunities/${o.id}/archive`, {});
    expect(archived.headers.location).toBe(`/admin/opportunities/${o.id}?saved=archived`);
    expect((await browser.get(`/admin/opportunities/${o.id}/edit`)).statusCode).toBe(409);
    expect((await browser.get('/admin/opportunities/abc')).statusCode).toBe(404);
  });

  it('edits an open opportunity without moving its closing date', async () => {
    const o = await createOpportunity(db);
    const form = await browser.get(`/admin/opportunities/${o.id}/edit`);
    expect(form.statusCode).toBe(200);
    // The closing date travels in hidden fields: it is changed on the opportunity's page.
    const fields = Object.fromEntries(
      Object.entries(advert({ title: 'A clearer title', title_cy: 'Teitl cliriach' })).filter(([k]) => !k.startsWith('closesAt')),
    );
    const res = await browser.submit(`/admin/opportunities/${o.id}/edit`, `/admin/opportunities/${o.id}/edit`, fields);
    expect(res.statusCode).toBe(303);
    const after = (await services.opportunities.byId(o.id))!;
    expect(after).toMatchObject({ title: 'A clearer title', slug: o.slug, translations: { cy: { title: 'Teitl cliriach' } } });
    expect(after.closesAt!.getTime()).toBe(o.closesAt!.getTime());
  });
});
