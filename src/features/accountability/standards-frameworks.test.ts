import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { ensureFrameworks, frameworkFiles } from './standards-framework-files.ts';
import { standardFrameworks, standards } from './tables.ts';

describe('frameworks of involvement standards', async () => {
  const { app, db } = await buildTestApp();
  const { browser: admin } = await signedInBrowser(app, 'admin');
  const { browser: staff } = await signedInBrowser(app, 'staff');
  const frameworkByKey = async (key: string) => (await db.select().from(standardFrameworks).where(eq(standardFrameworks.key, key)))[0]!;
  const standardsOf = (id: number) => db.select().from(standards).where(eq(standards.frameworkId, id)).orderBy(asc(standards.position));

  it('are loaded from the data files at start, with their standards, measures and Welsh', async () => {
    expect(frameworkFiles().map((f) => f.key)).toEqual(['4pi', 'ukspi']);
    const ukspi = await frameworkByKey('ukspi');
    expect(ukspi).toMatchObject({ name: 'UK Standards for Public Involvement', edition: '2019' });
    const list = await standardsOf(ukspi.id);
    expect(list.map((s) => s.key)).toEqual([
      'inclusive-opportunities',
      'working-together',
      'support-and-learning',
      'communications',
      'impact',
      'governance',
    ]);
    expect(list[0]!.measures).toEqual(['opportunities.payment-and-access-stated', 'opportunities.applicant-diversity']);
    expect(list[5]!.measures).toEqual(['commitments.on-track']);
    expect(list[0]!.questions.length).toBeGreaterThanOrEqual(3);
    expect(list[0]!.translations.cy?.name).toBe('Cyfleoedd cynhwysol');
    const fourPi = await standardsOf((await frameworkByKey('4pi')).id);
    expect(fourPi.map((s) => s.name)).toEqual(['Principles', 'Purpose', 'Presence', 'Process', 'Impact']);
    expect(fourPi[3]!.measures).toEqual(['payments.days-to-pay', 'meetings.access-requests-arranged']);
  });

  it('never overwrite what an admin changed or archived when the files are read again', async () => {
    const fourPi = await frameworkByKey('4pi');
    await db.update(standardFrameworks).set({ name: 'Our 4Pi', archivedAt: new Date() }).where(eq(standardFrameworks.id, fourPi.id));
    await ensureFrameworks(db);
    const after = await db.select().from(standardFrameworks).where(eq(standardFrameworks.key, '4pi'));
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ name: 'Our 4Pi' });
    expect(after[0]!.archivedAt).not.toBeNull();
    expect(await standardsOf(fourPi.id)).toHaveLength(5);
    await db.update(standardFrameworks).set({ name: fourPi.name, archivedAt: null }).where(eq(standardFrameworks.id, fourPi.id));
  });

  it('are kept by admins only', async () => {
    expect((await staff.get('/admin/standards/frameworks')).statusCode).toBe(403);
    expect((await staff.post('/admin/standards/frameworks/new', { name: 'x' })).statusCode).toBe(403);
    const list = await admin.get('/admin/standards/frameworks');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('UK Standards for Public Involvement');
  });

  it('lets an admin add a framework and its standards, refusing bad input', async () => {
    const bad = await admin.submit('/admin/standards/frameworks/new', '/admin/standards/frameworks/new', {
      name: '',
      sourceUrl: 'javascript:alert(1)',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#name"');
    expect(bad.body).toContain('href="#sourceUrl"');
    const res = await admin.submit('/admin/standards/frameworks/new', '/admin/standards/frameworks/new', {
      name: 'Community involvement charter',
      name_cy: 'Siarter cynnwys cymunedol',
      edition: '2027',
      publisher: 'Our involvement group',
      sourceUrl: 'https://example.org/charter',
      description: 'Our own **charter**.',
    });
    expect(res.statusCode).toBe(303);
    const id = Number(/frameworks\/(\d+)/.exec(String(res.headers.location))![1]);
    const [row] = await db.select().from(standardFrameworks).where(eq(standardFrameworks.id, id));
    expect(row).toMatchObject({ key: 'community-involvement-charter-2027', edition: '2027' });
    expect(row!.descriptionHtml).toContain('<strong>charter</strong>');
    expect(row!.translations.cy?.name).toBe('Siarter cynnwys cymunedol');

    const action = `/admin/standards/frameworks/${id}/standards/new`;
    const wrong = await admin.submit(action, action, { name: 'Listening', measures: 'no.such-measure' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Choose figures from the list');
    const added = await admin.submit(action, action, {
      name: 'Listening',
      summary: 'We act on what we hear.',
      questions: 'Who did we hear from?\n\n  What did we change?  ',
      measures: ['said-did.entries-per-group', 'reviews.comments-answered'],
      questions_cy: 'Pwy glywson ni?',
    });
    expect(added.statusCode).toBe(303);
    const [standard] = await standardsOf(id);
    expect(standard).toMatchObject({
      key: 'listening',
      questions: ['Who did we hear from?', 'What did we change?'],
      measures: ['said-did.entries-per-group', 'reviews.comments-answered'],
    });
    expect(standard!.translations.cy?.questions).toBe('Pwy glywson ni?');

    // Editing the words and measures; the key stays.
    const edit = `/admin/standards/frameworks/${id}/standards/${standard!.id}`;
    expect(
      (await admin.submit(edit, edit, { name: 'Listening well', questions: 'One question', measures: 'commitments.on-track' })).statusCode,
    ).toBe(303);
    const [changed] = await standardsOf(id);
    expect(changed).toMatchObject({
      key: 'listening',
      name: 'Listening well',
      questions: ['One question'],
      measures: ['commitments.on-track'],
    });

    // The new framework can be used for a round, until it is archived.
    expect((await admin.get('/admin/standards/new')).body).toContain('Community involvement charter (2027)');
    expect((await admin.submit(`/admin/standards/frameworks/${id}`, `/admin/standards/frameworks/${id}/archive`, {})).statusCode).toBe(303);
    expect((await admin.get('/admin/standards/new')).body).not.toContain('Community involvement charter');
  });

  it('shows the frameworks on the public page, in Welsh too', async () => {
    const page = await new Browser(app).get('/standards');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('4Pi National Involvement Standards');
    expect(page.body).toContain('Inclusive opportunities');
    const cy = await new Browser(app).get('/standards?lang=cy');
    expect(cy.body).toContain('Cyfleoedd cynhwysol');
    expect(cy.body).toContain('Sut rydyn ni&#39;n asesu ein gwaith cynnwys');
  });
});
