import { describe, expect, it } from 'vitest';
import { buildTestApp, createStaff } from '#tests/helpers/app.ts';
import { parseCsv } from '#src/lib/csv.ts';
import { xmlProblems } from '#src/features/stories/testing.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { seedDemoCommitments } from './commitments-demo.ts';
import { makeCommitment, statusId } from './commitments-test-support.ts';
import { saidDidEntries } from './tables.ts';

describe('commitments: the public pages', async () => {
  const { app, db, services } = await buildTestApp();
  const account = await createStaff(app, 'staff');
  const staff: CurrentUser = { id: account.id, name: 'Test staff', email: account.email, role: 'staff', jobTitle: null };
  const make = async (over: Record<string, string> = {}, publish = true) => {
    const c = await makeCommitment(services, db, staff, over);
    if (publish) await services.commitments.setPublished(staff, c.id, true);
    return c;
  };

  const parent = await make({ title: 'Involve people in everything', tags: 'strategy', responsibleRole: 'Head of Involvement' });
  const done = await make({
    title: 'Publish the strategy',
    parentId: String(parent.id),
    statusId: String(await statusId(db, 'done')),
    progress: '',
    tags: 'strategy',
  });
  const risky = await make({
    title: 'Pay within 15 days',
    parentId: String(parent.id),
    statusId: String(await statusId(db, 'at-risk')),
    progress: '40',
    tags: 'payments',
  });
  await make({ title: 'A draft nobody sees', tags: 'secret' }, false);
  await services.commitments.publishUpdate(staff, risky.id, {
    title: 'Why payments are slow',
    body: 'The finance system <script>x</script> changed.',
  });
  await services.commitments.addMilestone(done.id, {
    title: 'Strategy agreed',
    'plannedOn-day': '1',
    'plannedOn-month': '3',
    'plannedOn-year': '2026',
  });

  it('lists published commitments as a tree, with accessible progress bars and the counts', async () => {
    const res = await app.inject('/commitments');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Involve people in everything');
    expect(res.body).not.toContain('A draft nobody sees');
    expect(res.body).toMatch(/<progress id="progress-\d+" max="100" value="70">/);
    expect(res.body).toContain('<strong>70%</strong>');
    expect(res.body).toContain('The average of 2 commitments.');
    const counts = res.body.slice(res.body.indexOf('id="counts"'), res.body.indexOf('</ul>', res.body.indexOf('id="counts"')));
    expect(counts).toContain('1 commitment on track');
    expect(counts).toContain('1 commitment at risk');
    expect(counts).toContain('1 commitment done');
    expect(res.body).toContain('href="/commitments/updates.rss"');
    expect(res.body).toContain('href="/commitments.csv"');
  });

  it('filters by status and by tag with a plain GET form', async () => {
    const byStatus = await app.inject('/commitments?status=at-risk');
    expect(byStatus.body).toContain('Pay within 15 days');
    expect(byStatus.body).not.toContain('>Publish the strategy<');
    expect(byStatus.body).toContain('Showing 1 of 3 commitments.');
    const byTag = await app.inject('/commitments?tag=strategy');
    expect(byTag.body).toContain('Publish the strategy');
    expect(byTag.body).not.toContain('>Pay within 15 days<');
    const unknown = await app.inject('/commitments?status=nonsense&tag=secret');
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).not.toContain('A draft nobody sees');
  });

  it('gives a CSV of every published commitment that adds up', async () => {
    const res = await app.inject('/commitments.csv');
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = parseCsv(res.body).map((r) => r.fields);
    expect(rows[0]).toEqual(['Commitment', 'Part of', 'Status', 'Progress (%)', 'Starts', 'Due', 'Responsible', 'Tags', 'Link']);
    expect(rows.length - 1).toBe((await services.commitments.onTrackFigures()).total);
    expect(rows.find((r) => r[0] === 'Pay within 15 days')).toEqual([
      'Pay within 15 days',
      'Involve people in everything',
      'At risk',
      '40',
      '',
      '',
      '',
      'payments',
      'http://localhost:3000/commitments/pay-within-15-days',
    ]);
  });

  it('gives an RSS 2.0 feed of updates on published commitments', async () => {
    const res = await app.inject('/commitments/updates.rss');
    expect(res.headers['content-type']).toContain('application/rss+xml');
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    expect(res.body).toContain('<title>Pay within 15 days: Why payments are slow</title>');
    expect(res.body).not.toContain('<script>');
    expect(xmlProblems(res.body)).toEqual([]);
    expect(res.body.match(/<item>/g)?.length).toBe(1);
    expect(res.body).toContain('<language>en-gb</language>');
    // A Welsh reader's feed says so: its own words are translated.
    const cy = await app.inject('/commitments/updates.rss?lang=cy');
    expect(cy.body).toContain('<language>cy</language>');
    expect(xmlProblems(cy.body)).toEqual([]);
  });

  it("shows a commitment's page: roll-up, children, milestones, timeline, comments and follow", async () => {
    const res = await app.inject('/commitments/involve-people-in-everything');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The average of 2 commitments.');
    expect(res.body).toContain('Dropped commitments are left out.');
    expect(res.body).toContain('Head of Involvement');
    expect(res.body).toContain('href="/commitments/pay-within-15-days"');
    expect(res.body).toContain('id="comments"');
    const child = await app.inject('/commitments/pay-within-15-days');
    expect(child.body).toContain('Why payments are slow');
    expect(child.body).toMatch(/id="part-of">Part of: <a href="\/commitments\/involve-people-in-everything">/);
    expect(child.body).not.toContain('<script>x');
    expect(child.body).toContain('We made this commitment: At risk, 40%.');
    // "You said, we did" entries that advanced it, published ones only.
    const entry = (slug: string, published: boolean) => ({
      slug,
      title: `Entry ${slug}`,
      youSaidMarkdown: 'Pay faster',
      youSaidHtml: '<p>Pay faster</p>',
      weDidMarkdown: 'We changed the system',
      weDidHtml: '<p>We changed the system</p>',
      source: 'other' as const,
      happenedOn: '2026-06-01',
      commitmentId: risky.id,
      publishedAt: published ? new Date() : null,
    });
    await db.insert(saidDidEntries).values([entry('faster-pay', true), entry('draft-entry', false)]);
    const withEntries = await app.inject('/commitments/pay-within-15-days');
    expect(withEntries.body).toContain('href="/you-said-we-did/faster-pay"');
    expect(withEntries.body).not.toContain('draft-entry');
    const doneChild = await app.inject('/commitments/publish-the-strategy');
    expect(doneChild.body).toContain('Strategy agreed');
    expect(doneChild.body).toContain('planned for 1 March 2026');
    expect((await app.inject('/commitments/a-draft-nobody-sees')).statusCode).toBe(404);
    // The comments feature answers under the page, for published commitments only.
    const form = await app.inject('/commitments/pay-within-15-days/comments/new?lang=cy');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Pay within 15 days');
    expect((await app.inject('/commitments/a-draft-nobody-sees/comments/new')).statusCode).toBe(404);
  });

  it('reads in Welsh with the Welsh status names', async () => {
    const res = await app.inject('/commitments?lang=cy');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Mewn perygl');
    expect(res.body).toContain('Ein hymrwymiadau');
  });

  // Last: it adds to what the tests above counted.
  it('seeds the demo promise with three commitments under it that roll up, twice without harm', async () => {
    for (let i = 0; i < 2; i++) await seedDemoCommitments({ db, services, config: app.config, log: () => {} });
    const res = await app.inject('/commitments/our-promise-to-involve-people');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The average of 3 commitments.');
    expect(res.body).toMatch(/<progress id="progress-main" max="100" value="63">/);
    expect(res.body).toContain('href="/stories/working-with-people-not-for-them"');
    const risky = await app.inject('/commitments/pay-contributors-within-15-working-days');
    expect(risky.body).toContain('Why payments have slowed down');
    expect(risky.body).toContain('Payments slowed while our finance system changed.');
    expect((await app.inject('/commitments/our-promise-to-involve-people?lang=cy')).body).toContain('Ein haddewid i gynnwys pobl');
    const closed = await make({ title: 'Closed to comments', commentsOpen: '' });
    const page = await app.inject(`/commitments/${closed.slug}?lang=cy`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="comments-closed"');
  });
});
