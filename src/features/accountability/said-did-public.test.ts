import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { commitments, commitmentStatuses, saidDidEntries } from './tables.ts';

type NewEntry = typeof saidDidEntries.$inferInsert;
let n = 0;
const entry = (over: Partial<NewEntry>): NewEntry => {
  n++;
  return {
    slug: `entry-${n}`,
    title: `Entry ${n}`,
    youSaidMarkdown: 'x',
    youSaidHtml: `<p>People said thing ${n}.</p>`,
    weDidMarkdown: 'y',
    weDidHtml: `<p>We did thing ${n}.</p>`,
    source: 'other',
    sourceTitle: 'A drop-in session',
    happenedOn: '2026-05-01',
    publishedAt: new Date(),
    ...over,
  };
};

// The public "you said, we did": published entries only, newest first, filtered by group, theme
// and year with a plain GET form; each entry's page; the footer links here; the figures the
// standards' Impact measure reads.
describe('you said, we did: public', async () => {
  const { app, db, services } = await buildTestApp();
  const visitor = new Browser(app);
  const [status] = await db.insert(commitmentStatuses).values({ key: 'on-track', name: 'On track', category: 'on-track' }).returning();
  const [kept, draftCommitment] = await db
    .insert(commitments)
    .values([
      { slug: 'publish-our-strategy', title: 'Publish our strategy', statusId: status!.id, publishedAt: new Date() },
      { slug: 'secret-plan', title: 'A draft commitment', statusId: status!.id },
    ])
    .returning();
  await db.insert(saidDidEntries).values([
    entry({
      slug: 'quieter-waiting-rooms',
      title: 'Quieter waiting rooms',
      youSaidHtml: '<p>The screens in the <strong>waiting room</strong> were too loud.</p>',
      weDidHtml: '<p>We turned them down.</p>',
      groupId: 7,
      groupName: 'Lived Experience Group',
      theme: 'Waiting rooms',
      happenedOn: '2026-06-10',
      source: 'meeting',
      sourceTitle: 'Autumn meeting',
      sourcePath: '/meetings/3',
      commitmentId: kept!.id,
      creditedNames: 'Margaret Okafor',
      translations: { cy: { title: 'Ystafelloedd aros tawelach', youSaidHtml: '<p>Roedd y sgriniau yn rhy uchel.</p>' } },
    }),
    entry({ slug: 'older-one', title: 'Large print letters', groupId: 7, groupName: 'Lived Experience Group', happenedOn: '2025-02-01' }),
    entry({ slug: 'a-draft', title: 'A draft entry', groupId: 7, groupName: 'Lived Experience Group', publishedAt: null }),
    entry({ slug: 'with-draft-commitment', title: 'Parking', theme: 'Travel', commitmentId: draftCommitment!.id }),
    ...Array.from({ length: 20 }, () => entry({ happenedOn: '2024-03-01', theme: 'waiting rooms' })),
  ]);

  it('lists published entries newest first, never a draft, and pages past twenty', async () => {
    const page = await visitor.get('/you-said-we-did');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('23 changes');
    expect(page.body).not.toContain('A draft entry');
    expect(page.body.indexOf('Quieter waiting rooms')).toBeLessThan(page.body.indexOf('Parking'));
    expect(page.body.indexOf('Parking')).toBeLessThan(page.body.indexOf('Large print letters'));
    expect(page.body).toContain('The screens in the waiting room were too loud.');
    expect(page.body).toContain('href="/you-said-we-did?page=2"');
    const two = await visitor.get('/you-said-we-did?page=2');
    expect(two.body.match(/<h3 /g)).toHaveLength(3);
    expect((await visitor.get('/you-said-we-did?page=3')).statusCode).toBe(404);
    expect((await visitor.get('/you-said-we-did?page=abc')).statusCode).toBe(404);
  });

  it('filters by group, theme (any case) and year, keeping the filters in the page links', async () => {
    const byGroup = await visitor.get('/you-said-we-did?group=7');
    expect(byGroup.body).toContain('2 changes');
    expect(byGroup.body).toContain('<option value="7" selected');
    const byTheme = await visitor.get('/you-said-we-did?theme=Waiting+rooms');
    expect(byTheme.body).toContain('21 changes');
    expect(byTheme.body.match(/<option value="waiting rooms"|<option value="Waiting rooms"/gi)).toHaveLength(1);
    expect(byTheme.body).toContain('href="/you-said-we-did?theme=Waiting+rooms&amp;page=2"');
    const byYear = await visitor.get('/you-said-we-did?year=2025');
    expect(byYear.body).toContain('1 change');
    expect(byYear.body).toContain('Large print letters');
    const none = await visitor.get('/you-said-we-did?group=7&year=2024');
    expect(none.body).toContain('No changes match these filters.');
    // Nonsense in a bookmarked address is ignored, not an error.
    expect((await visitor.get('/you-said-we-did?group=x&year=99&theme=')).body).toContain('23 changes');
  });

  it("shows an entry: what was said and done, where, the published commitment, who is thanked, and the group's others", async () => {
    const page = await visitor.get('/you-said-we-did/quieter-waiting-rooms');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Quieter waiting rooms</h1>');
    expect(page.body).toContain('<strong>waiting room</strong>');
    expect(page.body).toContain('10 June 2026');
    expect(page.body).toContain('href="/meetings/3"');
    expect(page.body).toContain('href="/commitments/publish-our-strategy"');
    expect(page.body).toContain('Margaret Okafor');
    expect(page.body).toContain('href="/you-said-we-did/older-one"');
    expect(page.body).not.toContain('A draft entry');

    const other = await visitor.get('/you-said-we-did/with-draft-commitment');
    expect(other.body).not.toContain('secret-plan');
    expect(other.body).not.toContain('With thanks to');
    expect((await visitor.get('/you-said-we-did/a-draft')).statusCode).toBe(404);
    expect((await visitor.get('/you-said-we-did/no-such-entry')).statusCode).toBe(404);
  });

  it('is in Welsh where staff wrote Welsh, and marks English where they did not', async () => {
    const cy = new Browser(app);
    const page = await cy.get('/you-said-we-did/quieter-waiting-rooms?lang=cy');
    expect(page.body).toContain('Ystafelloedd aros tawelach');
    expect(page.body).toContain('Roedd y sgriniau yn rhy uchel.');
    expect(page.body).toContain('Dywedoch chi');
    const list = await cy.get('/you-said-we-did');
    expect(list.body).toContain('Gwnaethon ni:');
    expect(list.body).toContain('Ystafelloedd aros tawelach');
    // An entry with no Welsh is shown in English, marked so.
    expect(list.body).toMatch(
      /<li class="nhsuk-u-margin-bottom-5" lang="en">\s*<h3[^>]*><a href="\/you-said-we-did\/with-draft-commitment">Parking/,
    );
  });

  it('is linked from the footer instead of the reviews summaries', async () => {
    const home = await visitor.get('/');
    expect(home.body).toContain('href="/you-said-we-did"');
    expect(home.body).not.toContain('href="/reviews/you-said-we-did"');
    expect((await visitor.get('/you-said-we-did')).body).toContain('href="/reviews/you-said-we-did"');
  });

  it('counts published entries per group in a period for the standards, and lists them for evidence', async () => {
    const period = { from: '2025-01-01', to: '2026-12-31' };
    const perGroup = await services.saidDid.entriesPerGroup(period);
    expect(perGroup).toEqual(
      expect.arrayContaining([
        { groupId: 7, groupName: 'Lived Experience Group', count: 2 },
        { groupId: null, groupName: null, count: 1 },
      ]),
    );
    expect(await services.saidDid.total(period)).toBe(3);
    expect(await services.saidDid.total({ from: new Date('2024-01-01'), to: new Date('2024-12-31') })).toBe(20);
    const options = await services.saidDid.options();
    expect(options).toHaveLength(23);
    expect(options[0]).toMatchObject({ title: 'Quieter waiting rooms', path: '/you-said-we-did/quieter-waiting-rooms' });
  });
});
