import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { parseCsv } from '#src/lib/csv.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { presentCollation } from './collate-view.ts';
import { responsesArea } from './responses-area.ts';
import { insertAnswer, insertComment, insertReviewer, reviewWithComments } from './responses-test-support.ts';

const staffUser = (id: string, role: string): CurrentUser => ({ id, name: 'Test', email: 'x@example.org', role, jobTitle: null });

// Staff collate a review: every comment and answer of those who submitted, by section and by
// reviewer, ratings counted with their mean, exported as CSV (formulas neutralised) and printed,
// every look audited; staff who may not see the register cannot reach any of it.
describe('collating a review', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: involvement, staff: involvementAccount } = await signedInBrowser(app, 'involvement');
  const { browser: plainStaff, staff: plainAccount } = await signedInBrowser(app, 'staff');
  const ana = await insertContributor(db, 'Ana Adolygydd');
  const bryn = await insertContributor(db, 'Bryn Beirniad');
  const ceri = await insertContributor(db, 'Ceri Craff');
  const dai = await insertContributor(db, 'Dai Drafft');
  const { review, sections, questions, reviewers } = await reviewWithComments(db, [ana, bryn, ceri]);
  const [anaR, brynR, ceriR] = reviewers;
  const daiR = await insertReviewer(db, review.id, dai.id, { state: 'accepted' });
  await insertComment(db, review.id, sections.intro.id, anaR!.id, 'The introduction uses too much jargon.');
  await insertComment(db, review.id, sections.intro.id, brynR!.id, "Mae'r cyflwyniad yn rhy hir.");
  await insertComment(db, review.id, sections.findings.id, anaR!.id, '=HYPERLINK("http://example.com/steal","Click")');
  await insertComment(db, review.id, sections.method.id, ceriR!.id, 'Explain how people were chosen.');
  await insertComment(db, review.id, sections.method.id, daiR.id, 'A draft nobody should see yet.');
  for (const [r, rating, yes, parts] of [
    [anaR!, '4', 'yes', ['Tables', 'Charts']],
    [brynR!, '5', 'yes', []],
    [ceriR!, '2', 'no', ['Tables']],
  ] as const) {
    await insertAnswer(db, r.id, questions.rating.id, { values: [rating] });
    await insertAnswer(db, r.id, questions.yesNo.id, { values: [yes] });
    if (parts.length) await insertAnswer(db, r.id, questions.choice.id, { values: [...parts] });
  }
  await insertAnswer(db, brynR!.id, questions.words.id, { text: 'Da iawn, diolch.' });
  await insertAnswer(db, daiR.id, questions.rating.id, { values: ['1'] });
  const base = `/admin/reviews/${review.id}`;
  const audited = (action: string) =>
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.actorUserId, involvementAccount.id)));

  it('counts each rating point and the mean to one decimal place, choices and yes/no, and lists words', async () => {
    const c = await services.reviewResponses.collation(review.id);
    const shown = presentCollation(c!, app.featureContext.i18n.translator('en'));
    const [rating, yesNo, choice, words] = shown.questions;
    expect(rating).toMatchObject({ answered: 3, mean: '3.7' });
    expect(rating!.counts!.map((r) => r.count)).toEqual([0, 1, 0, 1, 1]);
    expect(rating!.counts![3]!.label).toBe('4 – Clear');
    expect(yesNo!.counts).toEqual([
      { label: 'Yes', count: 2 },
      { label: 'No', count: 1 },
    ]);
    expect(choice!.counts).toEqual([
      { label: 'Tables', count: 2 },
      { label: 'Words', count: 0 },
      { label: 'Charts', count: 1 },
    ]);
    expect(words!.texts).toEqual([{ name: 'Bryn Beirniad', text: 'Da iawn, diolch.' }]);
    expect(shown).toMatchObject({ submittedCount: 3, stillWorking: 1, unanswered: 4 });
  });

  it('shows every submitted comment by section, never a draft, says who is still working, and audits the look', async () => {
    const res = await involvement.get(`${base}/collate`);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    const order = [
      '<h2>Introduction</h2>',
      'Ana Adolygydd',
      'too much jargon',
      'Bryn Beirniad',
      '<h2>Method</h2>',
      'Ceri Craff',
      '<h2>Findings</h2>',
    ];
    const at = order.map((s) => body.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(body).not.toContain('A draft nobody should see yet.');
    expect(body).not.toContain('Dai Drafft');
    expect(body).toContain('1 reviewer is still working on their review.');
    expect(body).toContain('3 reviewers have submitted their review.');
    expect(body).toContain('Average rating 3.7 out of 5.');
    expect(body).toContain(`action="${base}/comments/`);
    expect(body).toContain('=HYPERLINK(&quot;http://example.com/steal&quot;');
    expect(await audited('review.collated-viewed')).toHaveLength(1);
  });

  it('shows each reviewer with their comments per section and their answers', async () => {
    const res = await involvement.get(`${base}/collate?by=reviewer`);
    expect(res.statusCode).toBe(200);
    const ana = res.body.slice(res.body.indexOf('<h2>Ana Adolygydd</h2>'), res.body.indexOf('<h2>Bryn Beirniad</h2>'));
    expect(ana).toContain('too much jargon');
    expect(ana).toContain('Findings');
    expect(ana).toContain('4 – Clear');
    expect(ana).toContain('Tables, Charts');
    expect(ana).not.toContain('rhy hir');
    expect(res.body).toContain('Da iawn, diolch.');
    expect(res.body).not.toContain('Dai Drafft');
    expect((await audited('review.collated-viewed')).map((e) => e.details)).toContainEqual({ reviewId: review.id, view: 'reviewer' });
  });

  it('exports a row per comment then a row per answer, with formulas neutralised, audited', async () => {
    const res = await involvement.get(`${base}/collate.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="review-\d+-/);
    const rows = parseCsv(res.body).map((r) => r.fields);
    expect(rows[0]).toEqual(['Section', 'Reviewer', 'Comment', 'Response', 'Why']);
    expect(rows.slice(1, 5)).toEqual([
      ['Introduction', 'Ana Adolygydd', 'The introduction uses too much jargon.', '', ''],
      ['Introduction', 'Bryn Beirniad', "Mae'r cyflwyniad yn rhy hir.", '', ''],
      ['Method', 'Ceri Craff', 'Explain how people were chosen.', '', ''],
      ['Findings', 'Ana Adolygydd', `'=HYPERLINK("http://example.com/steal","Click")`, '', ''],
    ]);
    expect(rows[5]).toEqual(['Question', 'Reviewer', 'Answer']);
    expect(rows).toContainEqual(['How clear is the report?', 'Ceri Craff', '2 – Unclear']);
    expect(rows).toContainEqual(['Would you share it with a friend?', 'Bryn Beirniad', 'Yes']);
    expect(rows).toContainEqual(['Anything else?', 'Bryn Beirniad', 'Da iawn, diolch.']);
    expect(res.body).not.toContain('draft nobody');
    expect(res.body).not.toContain('Dai Drafft');
    expect(await audited('review.exported')).toHaveLength(1);
  });

  it('prints the comments and answers on a page of their own', async () => {
    const res = await involvement.get(`${base}/collate/print`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Explain how people were chosen.');
    expect(res.body).toContain('media="print"');
    expect(res.body).not.toContain('<form method="post" action="/admin/reviews');
    expect((await audited('review.collated-viewed')).map((e) => e.details)).toContainEqual({ reviewId: review.id, view: 'print' });
  });

  it('answers 404 for a review that does not exist', async () => {
    expect((await involvement.get('/admin/reviews/999999/collate')).statusCode).toBe(404);
    expect((await involvement.get('/admin/reviews/abc/collate.csv')).statusCode).toBe(404);
  });

  it('refuses staff who may not see the register, and people signed out', async () => {
    for (const url of [`${base}/collate`, `${base}/collate?by=reviewer`, `${base}/collate.csv`, `${base}/collate/print`])
      expect((await plainStaff.get(url)).statusCode, url).toBe(403);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await plainStaff.get('/admin')).body)![1]!;
    const [comment] = (await services.reviewResponses.collation(review.id))!.comments;
    const posts: Record<string, Record<string, string>> = {
      [`${base}/comments/${comment!.id}/response`]: { outcome: 'changed', reason: 'Done.' },
      [`${base}/send-responses`]: {},
      [`${base}/summary`]: { summary: 'We changed it.' },
    };
    for (const [url, form] of Object.entries(posts))
      expect((await plainStaff.post(url, { ...form, _csrf: csrf })).statusCode, url).toBe(403);
    expect((await services.reviewResponses.collation(review.id))!.comments.every((c) => !c.response)).toBe(true);
    expect(await services.reviewResponses.publicSummary(review.id)).toBeNull();
    expect((await new Browser(app).get(`${base}/collate`)).headers.location).toMatch(/^\/sign-in/);
  });

  it('counts comments waiting for a response on the staff home, for register staff only', async () => {
    const summary = responsesArea.adminSummary!;
    expect(await summary(app.featureContext, staffUser(plainAccount.id, 'staff'))).toEqual([]);
    const [waiting] = await summary(app.featureContext, staffUser(involvementAccount.id, 'involvement'));
    expect(waiting).toMatchObject({ href: '/admin/reviews', count: 4 });
    const tr = app.featureContext.i18n.translator('en');
    expect(tr.t(waiting!.text, { count: waiting!.count })).toBe('4 review comments waiting for a response');
  });
});
