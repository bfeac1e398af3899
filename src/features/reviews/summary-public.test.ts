import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { insertAnswer, insertComment, insertReview, reviewWithComments } from './responses-test-support.ts';
import { reviewAnswers, reviewComments, reviewResponses, reviewReviewers } from './tables.ts';

// "You said, we did" in public: 404 until staff publish; then the title and kind, the summary, how
// many reviewed, what happened to their comments and the names only of those who agreed, never
// the document or a comment's words. Deleting a reviewer's account keeps their comments and the
// responses without their name, removes their answers, and the summary stops naming them.
describe('the public summary', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: staff } = await signedInBrowser(app, 'admin');
  const anonymous = new Browser(app);
  const people = await Promise.all(['Ana Adolygydd', 'Bryn Beirniad', 'Ceri Craff', 'Dafydd Dienw'].map((n) => insertContributor(db, n)));
  const [ana] = people;
  const { review, sections, questions, reviewers } = await reviewWithComments(db, people);
  const [anaR, brynR, ceriR, dafyddR] = reviewers;
  await db.update(reviewReviewers).set({ nameInSummary: true }).where(eq(reviewReviewers.id, anaR!.id));
  await db.update(reviewReviewers).set({ nameInSummary: true }).where(eq(reviewReviewers.id, brynR!.id));
  const comments = [
    await insertComment(db, review.id, sections.intro.id, anaR!.id, 'SECRET-ana-intro'),
    await insertComment(db, review.id, sections.method.id, anaR!.id, 'SECRET-ana-method'),
    await insertComment(db, review.id, sections.intro.id, brynR!.id, 'SECRET-bryn-intro'),
    await insertComment(db, review.id, sections.findings.id, ceriR!.id, 'SECRET-ceri-findings'),
    await insertComment(db, review.id, sections.findings.id, dafyddR!.id, 'SECRET-dafydd-findings'),
  ];
  await insertAnswer(db, anaR!.id, questions.rating.id, { values: ['4'] });
  const collate = `/admin/reviews/${review.id}/collate`;
  const outcomes = ['changed', 'changed', 'not-changed', 'out-of-scope'];
  for (const [i, outcome] of outcomes.entries())
    await staff.submit(collate, `/admin/reviews/${review.id}/comments/${comments[i]!.id}/response`, { outcome, reason: `Reason ${i}.` });
  const summaryUrl = `/reviews/${review.id}/summary`;
  const publish = (summary: string) => staff.submit(collate, `/admin/reviews/${review.id}/summary`, { summary });

  it('is not there before it is published, nor in the list', async () => {
    expect((await anonymous.get(summaryUrl)).statusCode).toBe(404);
    expect((await anonymous.get('/reviews/999999/summary')).statusCode).toBe(404);
    expect((await anonymous.get('/reviews/you-said-we-did')).body).toContain('Nothing has been published here yet.');
    expect(await services.reviewResponses.publishedSummaries()).toEqual([]);
  });

  it('refuses an empty summary with nothing published', async () => {
    const res = await publish('');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter the summary of what changed');
    expect(res.body).toContain('href="#summary"');
    expect((await anonymous.get(summaryUrl)).statusCode).toBe(404);
  });

  it('publishes a sanitised summary naming only the reviewers who agreed, never a comment', async () => {
    const res = await publish('We rewrote the **introduction** in plain words. <script>alert(1)</script>');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${collate}?saved=summary#summary`);
    const page = await anonymous.get(summaryUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(review.title);
    expect(page.body).toContain('Research report');
    expect(page.body).toContain('We rewrote the <strong>introduction</strong> in plain words.');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('4 people reviewed this document.');
    expect(page.body).toContain(
      '5 comments: 2 changed as suggested, 1 not changed, 1 outside what this review could change and 1 still to be answered.',
    );
    expect(page.body).toContain('With thanks to Ana Adolygydd, Bryn Beirniad and 2 other reviewers.');
    for (const secret of ['SECRET', 'Ceri Craff', 'Dafydd Dienw', 'Reason 0', 'About Introduction'])
      expect(page.body).not.toContain(secret);
    const welsh = await new Browser(app).get(`${summaryUrl}?lang=cy`);
    expect(welsh.body).toContain('Diolch i Ana Adolygydd, Bryn Beirniad a 2 adolygydd arall.');
    expect(welsh.body).toContain('Adroddiad ymchwil');
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, 'review.summary-published'));
    expect(audit.map((a) => a.details)).toEqual([{ reviewId: review.id, first: true }]);
  });

  it('lists published summaries newest first, for the accountability log too', async () => {
    const later = await insertReview(db, { title: 'House style guide 2027', kind: 'house-style' });
    await staff.submit(`/admin/reviews/${later.id}/collate`, `/admin/reviews/${later.id}/summary`, { summary: 'We now say "people".' });
    const list = await services.reviewResponses.publishedSummaries();
    expect(list.map((s) => [s.id, s.title, s.kind, s.path])).toEqual([
      [later.id, 'House style guide 2027', 'house-style', `/reviews/${later.id}/summary`],
      [review.id, review.title, 'research-report', summaryUrl],
    ]);
    expect(list[0]!.publishedAt).toBeInstanceOf(Date);
    const page = await anonymous.get('/reviews/you-said-we-did');
    expect(page.statusCode).toBe(200);
    expect(page.body.indexOf('House style guide 2027')).toBeLessThan(page.body.indexOf(review.title));
    expect(page.body).toContain(`href="${summaryUrl}"`);
    expect((await new Browser(app).get('/reviews/you-said-we-did?lang=cy')).body).toContain('Dywedoch chi, gwnaethon ni');
    // Publishing again changes the words, not the date it was first published.
    const before = list[1]!.publishedAt;
    await publish('We rewrote the introduction and added a glossary.');
    const again = await services.reviewResponses.publishedSummaries();
    expect(again[1]!.publishedAt).toEqual(before);
    expect((await anonymous.get(summaryUrl)).body).toContain('added a glossary');
  });

  it('shows the published summary on the reviewer’s response page', async () => {
    await staff.submit(collate, `/admin/reviews/${review.id}/send-responses`, {});
    const found = await services.reviewResponses.responseFor({ ...ana!, role: 'contributor', jobTitle: null }, review.id);
    expect(found?.summary?.html).toContain('added a glossary');
  });

  it('keeps a deleted reviewer’s comments and responses without a name, removes their answers and stops naming them', async () => {
    await app.services.dataRights.deleteAccount({ ...ana!, role: 'contributor', jobTitle: null }, 'en');
    const kept = await db.select().from(reviewComments).where(eq(reviewComments.reviewId, review.id));
    const anaComments = kept.filter((c) => c.body.startsWith('SECRET-ana'));
    expect(anaComments).toHaveLength(2);
    expect(anaComments.every((c) => c.reviewerId === null)).toBe(true);
    expect(await db.select().from(reviewResponses).where(eq(reviewResponses.commentId, comments[0]!.id))).toHaveLength(1);
    expect(await db.select().from(reviewAnswers).where(eq(reviewAnswers.reviewerId, anaR!.id))).toEqual([]);
    const page = await anonymous.get(summaryUrl);
    expect(page.body).not.toContain('Ana Adolygydd');
    expect(page.body).toContain('3 people reviewed this document.');
    expect(page.body).toContain('With thanks to Bryn Beirniad and 2 other reviewers.');
    const staffPage = await staff.get(collate);
    expect(staffPage.body).toContain('A reviewer who has since left');
    expect(staffPage.body).toContain('SECRET-ana-intro');
    expect(staffPage.body).toContain('Reason 0.');
    expect(staffPage.body).not.toContain('Ana Adolygydd');
    // Their comments are still counted in the public summary, without a name.
    expect(page.body).toContain('5 comments:');
  });

  it('tells people in the privacy notice, in English and Welsh', async () => {
    expect((await anonymous.get('/privacy')).body).toContain(
      'we keep the comments you made on it for our record of the review, without your name',
    );
    expect((await new Browser(app).get('/privacy?lang=cy')).body).toContain('heb eich enw, os byddwch chi&#39;n dileu eich cyfrif');
  });
});
