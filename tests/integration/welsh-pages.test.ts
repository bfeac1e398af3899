import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { seedIfNew } from '#src/platform/seed.ts';
import { loadCatalogue } from '#src/lib/i18n.ts';

// Every page a visitor or contributor can open, in Welsh, on the demo content: the page says it is
// Welsh, offers English, and never shows a catalogue key or a message that was not translated.
const areas = Object.keys(loadCatalogue('en'));
const rawKey = new RegExp(`(?<![\\w/.-])(?:${areas.join('|')})\\.[a-z][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_-]+)*(?![\\w/-])`);

function problemsIn(url: string, status: number, body: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`${url}: ${status}`);
  if (!body.includes('<html lang="cy"')) problems.push(`${url}: not marked lang="cy"`);
  if (body.includes('\u27E6')) problems.push(`${url}: shows an untranslated message`);
  // Only the words people read: scripts, styles and attributes that hold addresses are left out.
  const text = body
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/\b(?:href|src|action|id|for|name|class|aria-describedby|aria-controls|data-[\w-]+)="[^"]*"/g, '');
  const key = rawKey.exec(text);
  if (key) problems.push(`${url}: shows the key ${key[0]}`);
  if (status === 200 && !/hreflang="en"/.test(body)) problems.push(`${url}: no link to the English page`);
  return problems;
}

describe('the Welsh page check', () => {
  it('finds keys and untranslated messages, and passes a good page', () => {
    const good = '<html lang="cy"><a href="/stories/a.b?lang=en" hreflang="en">English</a><p>Straeon gan bobl. example.org</p>';
    expect(problemsIn('/ok', 200, good)).toEqual([]);
    expect(problemsIn('/key', 200, good.replace('Straeon', 'common.nav.nothing'))).toEqual(['/key: shows the key common.nav.nothing']);
    expect(problemsIn('/msg', 200, good.replace('Straeon', '\u27E6fields.email.missing\u27E7'))).toHaveLength(2);
    expect(problemsIn('/en', 200, good.replace('lang="cy"', 'lang="en"'))).toEqual(['/en: not marked lang="cy"']);
  });
});

describe('the public and contributor pages in Welsh', async () => {
  const sink = await startSmtpSink();
  const { app } = await buildTestApp({ smtpUrl: sink.url, seedDemo: true });
  await seedIfNew(app.featureContext, () => {});
  const story = await app.services.stories.listPublished({ page: 1, perPage: 1 });
  const slug = story.items[0]!.slug;
  const getRoutes = app.routeTable.filter((r) => r.method === 'GET' && !/^\/(admin|dev|assets)/.test(r.url) && !r.url.includes('*'));
  const concrete = (url: string) => url.replace(':slug', slug).replace(/:(\w+)/g, 'x');

  it('a visitor sees every page in Welsh, with no keys', async () => {
    const browser = new Browser(app);
    expect((await browser.get('/?lang=cy')).statusCode).toBe(200);
    const problems: string[] = [];
    for (const route of getRoutes) {
      if (route.url.startsWith('/profile')) continue;
      const url = concrete(route.url);
      const res = await browser.get(url);
      if (!(res.headers['content-type'] ?? '').toString().startsWith('text/html')) continue;
      problems.push(...problemsIn(url, res.statusCode, res.body));
    }
    expect(problems.join('\n')).toBe('');
  });

  it('a contributor sees every page of their profile in Welsh, with no keys', async () => {
    const { browser } = await joinedContributor(app, sink, 'Elin Cyfrannwr');
    expect((await browser.get('/profile?lang=cy')).statusCode).toBe(200);
    const problems: string[] = [];
    for (const route of getRoutes) {
      if (!route.url.startsWith('/profile')) continue;
      const url = concrete(route.url);
      const res = await browser.get(url);
      if (!(res.headers['content-type'] ?? '').toString().startsWith('text/html')) continue;
      problems.push(...problemsIn(url, res.statusCode, res.body));
    }
    expect(problems.join('\n')).toBe('');
  });

  // Pages whose address the walk cannot guess (it tries the story's slug): the demo's commitments,
  // a "you said, we did" entry and a published assessment round.
  it('the demo commitments, an entry and an assessment summary read in Welsh', async () => {
    const browser = new Browser(app);
    expect((await browser.get('/?lang=cy')).statusCode).toBe(200);
    const [entry] = await app.services.saidDid.options();
    const problems: string[] = [];
    for (const url of [
      '/commitments/our-promise-to-involve-people',
      '/commitments/pay-contributors-within-15-working-days',
      entry!.path,
      '/standards/2025-annual-review',
    ]) {
      const res = await browser.get(url);
      expect(res.statusCode, url).toBe(200);
      problems.push(...problemsIn(url, res.statusCode, res.body));
    }
    expect(problems.join('\n')).toBe('');
  });

  // The stop link in an opportunity alert email: not a route a walk can find (it needs a signed token).
  it('the stop link of an opportunity alert asks and answers in Welsh', async () => {
    const { id } = await joinedContributor(app, sink, 'Siôn Stopio');
    const link = app.services.opportunityMatches.stopLink(id);
    const browser = new Browser(app);
    const ask = await browser.get(`${link}?lang=cy`);
    expect(problemsIn(link, ask.statusCode, ask.body)).toEqual([]);
    expect(ask.body).toContain('Atal yr e-byst hyn');
    const done = await browser.post(link, {});
    expect(problemsIn(link, done.statusCode, done.body)).toEqual([]);
    expect(done.body).toContain('Ni fyddwch yn cael yr e-byst hyn mwyach');
  });

  it('switching language keeps the person on the same page', async () => {
    const browser = new Browser(app);
    const res = await browser.get(`/stories/${slug}`);
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).toMatch(new RegExp(`href="/stories/${slug}\\?lang=cy"[^>]*>Cymraeg</a>`));
    const welsh = await browser.get(`/stories/${slug}?lang=cy`);
    expect(welsh.body).toContain('<html lang="cy"');
    expect(welsh.body).toMatch(new RegExp(`href="/stories/${slug}\\?lang=en"[^>]*>English</a>`));
    // Remembered: the next page is Welsh without asking again.
    expect((await browser.get('/stories')).body).toContain('<html lang="cy"');
    expect((await browser.get('/?lang=en')).body).toContain('<html lang="en"');
    expect((await browser.get('/stories')).body).toContain('<html lang="en"');
  });
});
