import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { createOpportunity } from './test-support.ts';
import { listingHref } from './routes.ts';

const hours = (n: number) => new Date(Date.now() + n * 3600_000);

describe('the public finds opportunities', async () => {
  const { app, db, services } = await buildTestApp();
  const visitor = new Browser(app);
  expect((await services.profile.addTerm({ category: 'caring', label: 'Caring for someone with dementia' })).ok).toBe(true);
  const term = (await services.profile.terms())[0]!;
  const paidOnline = await createOpportunity(db, {
    title: 'Review our report on hip operations',
    mode: 'online',
    closesAt: hours(24 * 20),
  });
  const unpaidLeeds = await createOpportunity(db, {
    title: 'Join our carers group in Leeds',
    type: 'lived-experience-group',
    mode: 'in-person',
    venueAddress: '1 Park Row, Leeds',
    region: 'Yorkshire and the Humber',
    paid: false,
    feePence: null,
    feeUnit: null,
    soughtTermIds: [term.id],
    closesAt: hours(48),
  });
  const draft = await createOpportunity(db, { title: 'A draft nobody sees', status: 'draft', publishedAt: null });
  const passed = await createOpportunity(db, { title: 'Closing time already passed', closesAt: hours(-1) });

  const titles = async (url: string) => {
    const res = await visitor.get(url);
    expect(res.statusCode).toBe(200);
    return [paidOnline, unpaidLeeds, draft, passed].filter((o) => res.body.includes(o.title)).map((o) => o.title);
  };

  it('lists only what is taking applications, closing soonest first', async () => {
    const res = await visitor.get('/opportunities');
    expect(res.body.match(/<h1/g)).toHaveLength(1);
    expect(await titles('/opportunities')).toEqual([paidOnline.title, unpaidLeeds.title]);
    expect(res.body.indexOf(unpaidLeeds.title)).toBeLessThan(res.body.indexOf(paidOnline.title));
  });

  it('filters by type, place, region, pay, lived experience and closing soon', async () => {
    expect(await titles('/opportunities?type=lived-experience-group')).toEqual([unpaidLeeds.title]);
    expect(await titles('/opportunities?where=online')).toEqual([paidOnline.title]);
    expect(await titles('/opportunities?where=in-person')).toEqual([unpaidLeeds.title]);
    expect(await titles('/opportunities?region=London')).toEqual([paidOnline.title]);
    expect(await titles('/opportunities?pay=unpaid')).toEqual([unpaidLeeds.title]);
    expect(await titles('/opportunities?lived=yes')).toEqual([unpaidLeeds.title]);
    expect(await titles('/opportunities?closingSoon=yes')).toEqual([unpaidLeeds.title]);
    // A bookmarked address with a value we no longer know still works, unfiltered by it.
    expect(await titles('/opportunities?type=%3Cscript%3E&pay=paid')).toEqual([paidOnline.title]);
    expect((await visitor.get('/opportunities?type=survey')).body).toContain('No open opportunities match your filters');
  });

  it('pages through many, keeping the filters; a page past the end is not found', async () => {
    for (let i = 0; i < 11; i++) await createOpportunity(db, { type: 'survey', title: `Survey number ${i}` });
    const first = await visitor.get('/opportunities?type=survey');
    expect(first.body).toContain(`href="${listingHref({ type: 'survey' }, 2).replace(/&/g, '&amp;')}"`);
    expect((await visitor.get('/opportunities?type=survey&page=2')).statusCode).toBe(200);
    expect((await visitor.get('/opportunities?type=survey&page=3')).statusCode).toBe(404);
    expect((await visitor.get('/opportunities?page=abc')).statusCode).toBe(404);
  });

  it("shows each opportunity's page; a closed one without the Apply button; a draft is not found", async () => {
    const page = await visitor.get(`/opportunities/${unpaidLeeds.slug}`);
    expect(page.body).toContain('1 Park Row, Leeds');
    expect(page.body).toContain(term.label);
    expect(page.body).toContain('Unpaid');
    expect(page.body).toContain(`<link rel="canonical" href="http://localhost:3000/opportunities/${unpaidLeeds.slug}"`);
    const closed = await visitor.get(`/opportunities/${passed.slug}`);
    expect(closed.statusCode).toBe(200);
    expect(closed.body).toContain('no longer taking applications');
    expect(closed.body).not.toContain('/apply"');
    expect((await visitor.get(`/opportunities/${draft.slug}`)).statusCode).toBe(404);
    expect((await visitor.get('/opportunities/NOT%20a%20slug')).statusCode).toBe(404);
  });

  it('speaks Welsh, with English content marked when there is no Welsh version', async () => {
    const o = await createOpportunity(db, { translations: { cy: { title: 'Adolygu ein hadroddiad ar lawdriniaethau clun' } } });
    const welsh = await visitor.get(`/opportunities/${o.slug}?lang=cy`);
    expect(welsh.body).toContain('Adolygu ein hadroddiad ar lawdriniaethau clun');
    expect(welsh.body).toContain('Gwneud cais');
    const englishOnly = await visitor.get(`/opportunities/${paidOnline.slug}?lang=cy`);
    expect(englishOnly.body).toContain(`<h1 lang="en">${paidOnline.title}</h1>`);
  });

  it('has an RSS feed of open opportunities', async () => {
    const res = await visitor.get('/opportunities/feed.xml');
    expect(res.headers['content-type']).toContain('application/rss+xml');
    expect(res.body).toContain(`<link>http://localhost:3000/opportunities/${paidOnline.slug}</link>`);
    expect(res.body).not.toContain(draft.title);
    expect(res.body).not.toContain(passed.title);
  });

  it('the closing job closes what is due, once', async () => {
    expect(await services.opportunities.closeDue()).toBeGreaterThanOrEqual(1);
    expect((await services.opportunities.byId(passed.id))!.status).toBe('closed');
    expect((await services.opportunities.byId(paidOnline.id))!.status).toBe('open');
    expect(await services.opportunities.closeDue()).toBe(0);
  });

  it('shows the latest open opportunities on the home page', async () => {
    const newest = await createOpportunity(db, { title: 'Help us rewrite our house style guide' });
    const home = await new Browser(app).get('/');
    expect(home.body).toContain('Opportunities to get involved');
    expect(home.body).toContain(`href="/opportunities/${newest.slug}"`);
    expect(home.body).not.toContain(draft.title);
  });
});
