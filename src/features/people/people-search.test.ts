import { describe, expect, it } from 'vitest';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { livedExperienceTerms } from '#src/features/profile/tables.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { parsePeopleQuery, prefixTsquery, searchWords } from '#src/features/profile/search-schema.ts';

const daysAgo = (n: number) => new Date(Date.now() - n * 24 * 60 * 60 * 1000);

describe('staff search the contributor register', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const [diabetes, carer] = await db
    .insert(livedExperienceTerms)
    .values([
      { category: 'condition', label: 'Diabetes' },
      { category: 'caring', label: 'Carer for a parent' },
    ])
    .returning();
  await insertContributor(db, 'Alice Smithson', {
    region: 'London',
    interests: ['reviewing', 'groups'],
    availableTimes: ['weekday-evening'],
    availableWays: ['online'],
    accessNeeds: ['step-free'],
    paymentPreference: 'fee',
    lastInvolvedAt: daysAgo(60),
    livedExperienceNotes: 'I use a wheelchair most days',
    termIds: [diabetes!.id],
    joinedAt: daysAgo(10),
  });
  await insertContributor(db, 'Bob Smith', {
    preferredName: 'Bobby',
    region: 'Wales',
    interests: ['surveys'],
    availableTimes: ['weekend'],
    availableWays: ['in-person'],
    paymentPreference: 'no-fee',
    lastInvolvedAt: daysAgo(240),
    source: 'imported',
    joinedAt: daysAgo(20),
  });
  await insertContributor(db, 'Carol Jones', {
    region: 'London',
    interests: ['co-design'],
    accessNeedsNotes: 'Large text please',
    paymentPreference: 'vouchers',
    interpreterLanguage: 'Polish',
    livedExperienceNotes: 'Carer for my mother, who has dementia',
    lastInvolvedAt: daysAgo(3 * 365),
    source: 'imported',
    termIds: [carer!.id],
    joinedAt: daysAgo(5),
  });
  await insertContributor(db, 'Dan Brown', { joinedAt: daysAgo(1) });
  // Staff are never on the register, even with a profile row.
  await insertContributor(db, 'Alice Staffer', { role: 'staff', region: 'London', interests: ['surveys'] });

  // Each search runs both ways the repository can page (gather the matches then sort, or walk the
  // sort order's index) and both must agree.
  const names = async (raw: Record<string, unknown>) => {
    const gathered = (await services.people.search(parsePeopleQuery(raw))).items.map((i) => i.name);
    const walked = (await services.people.search(parsePeopleQuery(raw), { gatherFirstBelow: 0 })).items.map((i) => i.name);
    expect(walked).toEqual(gathered);
    return gathered;
  };

  it('finds people by the start of their name, preferred name or words they wrote', async () => {
    expect(await names({ q: 'smi' })).toEqual(['Alice Smithson', 'Bob Smith']);
    expect(await names({ q: 'SMITH', sort: 'name' })).toEqual(['Alice Smithson', 'Bob Smith']);
    expect(await names({ q: 'smi ali' })).toEqual(['Alice Smithson']);
    expect(await names({ q: 'bobby' })).toEqual(['Bob Smith']);
    expect(await names({ q: 'wheel' })).toEqual(['Alice Smithson']);
    expect(await names({ q: 'dementia' })).toEqual(['Carol Jones']);
    expect(await names({ q: 'polish' })).toEqual(['Carol Jones']);
    expect(await names({ q: 'large text' })).toEqual(['Carol Jones']);
    expect(await names({ q: 'nobody-like-this' })).toEqual([]);
    expect(await names({ q: 'alice' })).toEqual(['Alice Smithson']);
  });

  it('keeps the index up to date when a contributor changes their name', async () => {
    const c = await joinedContributor(app, sink, 'Renamed Person');
    expect(await names({ q: 'renamed' })).toEqual(['Renamed Person']);
    const saved = await c.browser.submit('/profile/details', '/profile/details', { name: 'Zebedee Quorn', preferredName: 'Zeb' });
    expect(saved.statusCode).toBe(303);
    expect(await names({ q: 'renamed' })).toEqual([]);
    expect(await names({ q: 'quor' })).toEqual(['Zebedee Quorn']);
    expect(await names({ q: 'zeb' })).toEqual(['Zebedee Quorn']);
  });

  it('filters by each filter, and by several together', async () => {
    const everyone = ['Alice Smithson', 'Bob Smith', 'Carol Jones', 'Dan Brown'];
    const without = await names({});
    expect(without.filter((n) => everyone.includes(n))).toEqual(everyone);
    expect(without).not.toContain('Alice Staffer');
    expect(await names({ terms: String(diabetes!.id) })).toEqual(['Alice Smithson']);
    expect(await names({ terms: [String(diabetes!.id), String(carer!.id)] })).toEqual(['Alice Smithson', 'Carol Jones']);
    expect(await names({ interests: 'surveys' })).toEqual(['Bob Smith']);
    expect(await names({ interests: ['surveys', 'co-design'] })).toEqual(['Bob Smith', 'Carol Jones']);
    expect(await names({ region: 'London' })).toEqual(['Alice Smithson', 'Carol Jones']);
    expect(await names({ times: 'weekend' })).toEqual(['Bob Smith']);
    expect(await names({ ways: 'online' })).toEqual(['Alice Smithson']);
    expect(await names({ accessNeeds: 'yes' })).toEqual(['Alice Smithson', 'Carol Jones']);
    expect((await names({ accessNeeds: 'no' })).filter((n) => everyone.includes(n))).toEqual(['Bob Smith', 'Dan Brown']);
    expect(await names({ payment: 'fee' })).toEqual(['Alice Smithson']);
    expect(await names({ payment: ['fee', 'vouchers'] })).toEqual(['Alice Smithson', 'Carol Jones']);
    expect((await names({ lastInvolved: 'never' })).filter((n) => everyone.includes(n))).toEqual(['Dan Brown']);
    expect(await names({ lastInvolved: 'within-6-months' })).toEqual(['Alice Smithson']);
    expect(await names({ lastInvolved: 'within-a-year' })).toEqual(['Alice Smithson', 'Bob Smith']);
    expect(await names({ lastInvolved: 'over-a-year' })).toEqual(['Carol Jones']);
    expect(await names({ source: 'imported' })).toEqual(['Bob Smith', 'Carol Jones']);
    expect(await names({ region: 'London', accessNeeds: 'yes', payment: 'vouchers' })).toEqual(['Carol Jones']);
    expect(await names({ q: 'smi', region: 'Wales', source: 'imported', times: 'weekend' })).toEqual(['Bob Smith']);
    expect(await names({ region: 'Wales', interests: 'co-design' })).toEqual([]);
  });

  it('sorts by name, by who joined most recently and by who was involved most recently', async () => {
    const only = (list: string[]) => list.filter((n) => ['Alice Smithson', 'Bob Smith', 'Carol Jones', 'Dan Brown'].includes(n));
    expect(only(await names({ sort: 'name' }))).toEqual(['Alice Smithson', 'Bob Smith', 'Carol Jones', 'Dan Brown']);
    expect(only(await names({ sort: 'joined' }))).toEqual(['Dan Brown', 'Carol Jones', 'Alice Smithson', 'Bob Smith']);
    expect(only(await names({ sort: 'last-involved' }))).toEqual(['Alice Smithson', 'Bob Smith', 'Carol Jones', 'Dan Brown']);
    // Best match puts a name match above a match in someone's own words.
    await insertContributor(db, 'Wendy Wheeler', { joinedAt: daysAgo(400) });
    expect(await names({ q: 'wheel' })).toEqual(['Wendy Wheeler', 'Alice Smithson']);
    expect(await names({ q: 'wheel', sort: 'name' })).toEqual(['Alice Smithson', 'Wendy Wheeler']);
  });

  it('pages through results 50 at a time with NHS pagination, counting every match', async () => {
    for (let i = 0; i < 52; i++) await insertContributor(db, `Pager ${String(i).padStart(2, '0')}`, { region: 'Scotland' });
    const { browser } = await signedInBrowser(app, 'involvement');
    const first = await browser.get('/admin/people?region=Scotland');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('52 people match');
    expect(first.body.match(/href="\/admin\/people\/[A-Za-z0-9]+"/g)).toHaveLength(50);
    expect(first.body).toContain('Pager 00');
    expect(first.body).not.toContain('Pager 50');
    expect(first.body).toContain('nhsuk-pagination');
    expect(first.body).toContain('href="/admin/people?region=Scotland&amp;page=2"');
    const second = await browser.get('/admin/people?region=Scotland&page=2');
    expect(second.body.match(/href="\/admin\/people\/[A-Za-z0-9]+"/g)).toHaveLength(2);
    expect(second.body).toContain('Pager 51');
    const past = await browser.get('/admin/people?region=Scotland&page=9');
    expect(past.statusCode).toBe(200);
    expect(past.body).toContain('There is no page 9');
    const paged = await services.people.search(parsePeopleQuery({ region: 'Scotland', page: '2' }), { perPage: 20 });
    expect(paged).toMatchObject({ total: 52, pages: 3 });
    expect(paged.items.map((i) => i.name)[0]).toBe('Pager 20');

    // In Welsh, with every word from the catalogue (English where a staff key has no Welsh yet).
    const cy = await browser.get('/admin/people?region=Scotland&lang=cy');
    expect(cy.body).toContain('<html lang="cy">');
    expect(cy.body).toContain('<title>Pobl – ');
    expect(cy.body).toContain('52 o bobl yn cyfateb');
    expect(cy.body).toContain('Defnyddio&#39;r hidlyddion');
    expect(cy.body).not.toMatch(/\b(?:people|common)\.(?:admin|pagination)\.[\w.]+/);
    const cyPast = await browser.get('/admin/people?region=Scotland&page=9');
    expect(cyPast.body).toContain('<title>Pobl (tudalen 9) – ');
    expect(cyPast.body).toContain('Does dim tudalen 9');
    await browser.get('/admin/people?lang=en');
  });

  it('shows the filters ticked as searched, and the results table', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    const res = await browser.get(`/admin/people?q=smith&region=Wales&interests=surveys&terms=${diabetes!.id}&accessNeeds=no&sort=joined`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('value="smith"');
    expect(res.body).toMatch(/value="surveys" checked/);
    expect(res.body).toMatch(/<option value="Wales" selected/);
    expect(res.body).toMatch(/value="joined" selected/);
    expect(res.body).toContain('0 people match');
    const bob = await browser.get('/admin/people?q=bob');
    expect(bob.body).toContain('1 person matches');
    expect(bob.body).toContain('Bob Smith</a> (Bobby)');
    expect(bob.body).toContain('Wales');
    expect(bob.body).toContain('Surveys');
  });

  it('survives hostile and malformed query strings without an error', async () => {
    const { browser } = await signedInBrowser(app, 'involvement');
    const hostile = [
      'q=\'); drop table "user"; --',
      'q=a %26 b | !c:* <-> (d',
      'q=%5C%27%22%3A*%26%7C!()',
      `q=${'x'.repeat(10_000)}`,
      `q=${encodeURIComponent('word '.repeat(500))}`,
      'q=%00%01%02',
      'q=%F0%9F%98%80 Zoë café 東京 ٣',
      'q[]=1&q[]=2',
      'q=smith&q=jones',
      'terms=abc&terms=-1&terms=99999999999&terms=1.5',
      'interests=nonsense&interests=surveys%27--',
      'region=Narnia&times=midnight&ways=telepathy&accessNeeds=maybe&payment=gold',
      'lastInvolved=yesterday&source=hacked&sort=id;drop',
      'page=-1',
      'page=0',
      'page=abc',
      'page=99999999999999999999',
      'sort[$ne]=1&__proto__[x]=1&constructor[prototype][x]=1',
    ];
    for (const qs of hostile) {
      const res = await browser.get(`/admin/people?${qs}`);
      expect(res.statusCode, qs).toBe(200);
      expect(res.body, qs).toContain('<h1>People</h1>');
      expect(res.body, qs).not.toContain('drop table "user"; --</');
    }
    // Only symbols typed: nothing can match, and the page says what to type instead.
    const symbols = await browser.get(`/admin/people?q=${encodeURIComponent('!!! *** ()')}`);
    expect(symbols.body).toContain('0 people match');
    expect(symbols.body).toContain('Search using letters or numbers');
    // Unknown values are dropped: the result is as if they were not there.
    expect(await names({ interests: 'nonsense', region: 'Narnia', lastInvolved: 'yesterday' })).toEqual(await names({}));
  });

  it('turns what was typed into a safe prefix query', () => {
    expect(searchWords("O'Brien-Smith & co:* !")).toEqual(['o', 'brien', 'smith', 'co']);
    expect(prefixTsquery(searchWords("O'Brien"))).toBe('o:* & brien:*');
    expect(prefixTsquery(searchWords('<-> | & ! ( ) : * \\ \' "'))).toBeNull();
    expect(searchWords('a b c d e f g h i j k').length).toBe(8);
  });
});
