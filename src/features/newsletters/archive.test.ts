import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { newsletters } from './tables.ts';
import { ARCHIVE_PER_PAGE } from './archive-routes.ts';

// The public archive of sent newsletters at /newsletters, and what the composer tells staff.
describe('the newsletter archive', async () => {
  const { app, db } = await buildTestApp();
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
  await db.insert(newsletters).values([
    ...Array.from({ length: ARCHIVE_PER_PAGE + 2 }, (_, i) => ({
      slug: `update-${i}`,
      subject: `Update number ${i}`,
      body: 'Body',
      status: 'sent' as const,
      sendStartedAt: day(i),
    })),
    { subject: 'A draft nobody may see', body: 'Secret', status: 'draft' as const },
    {
      slug: 'welsh-news',
      subject: 'News in English',
      body: 'Body',
      translations: { cy: { subject: 'Newyddion yn Gymraeg', body: 'Corff' } },
      status: 'sent' as const,
      sendStartedAt: day(100),
    },
  ]);

  it('lists sent newsletters newest first, linked to their web pages, a page at a time, never drafts', async () => {
    const browser = new Browser(app);
    const first = await browser.get('/newsletters');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<h1>Past newsletters</h1>');
    expect(first.body).toContain('href="/newsletters/welsh-news"');
    expect(first.body.indexOf('News in English')).toBeLessThan(first.body.indexOf(`Update number ${ARCHIVE_PER_PAGE + 1}`));
    expect(first.body).toContain('Sent 11 April 2026');
    expect(first.body).not.toContain('A draft nobody may see');
    expect(first.body).not.toContain('>Update number 0<');
    expect(first.body).toContain('href="/newsletters?page=2"');
    const second = await browser.get('/newsletters?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Update number 0');
    expect(second.body).toContain('href="/newsletters"');
    expect((await browser.get('/newsletters?page=3')).statusCode).toBe(404);
    // A page number that is not one is the first page.
    expect((await browser.get('/newsletters?page=abc')).statusCode).toBe(200);
  });

  it('is in Welsh, with each newsletter’s Welsh subject where it has one', async () => {
    const browser = new Browser(app);
    const page = await browser.get('/newsletters?lang=cy');
    expect(page.body).toContain('<h1>Cylchlythyrau blaenorol</h1>');
    expect(page.body).toContain('Newyddion yn Gymraeg');
    expect(page.body).toMatch(/<a href="\/newsletters\/update-\d+" lang="en">Update number/);
  });

  it('is linked from every page’s footer', async () => {
    const home = await new Browser(app).get('/');
    expect(home.body).toContain('href="/newsletters"');
  });

  it('tells staff writing a newsletter that the greeting is added for them', async () => {
    const { browser } = await signedInBrowser(app);
    const form = await browser.get('/admin/newsletters/new');
    expect(form.body).toContain('We add the greeting for you');
    expect(form.body).toContain('Hello Sam,');
  });
});

describe('the demo newsletter', async () => {
  const { app, db } = await buildTestApp();
  const { seedDemoNewsletter } = await import('./demo.ts');

  it('is in the archive, once however often the seed runs, with its web page in both languages', async () => {
    await seedDemoNewsletter(db);
    await seedDemoNewsletter(db);
    const browser = new Browser(app);
    const archive = await browser.get('/newsletters');
    expect(archive.body.match(/href="\/newsletters\/what-we-heard-this-autumn"/g)).toHaveLength(1);
    const page = await browser.get('/newsletters/what-we-heard-this-autumn');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Appointments are hard to change by phone.');
    expect((await browser.get('/newsletters/what-we-heard-this-autumn?lang=cy')).body).toContain('Beth glywson ni gennych chi');
  });
});
