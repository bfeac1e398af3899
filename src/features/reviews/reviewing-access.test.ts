import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { reviewAnswers, reviewComments, reviewRequests, reviewReviewers } from './tables.ts';
import { addQuestion, addSection, createReview, inviteReviewer } from './reviews-test-support.ts';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

// An embargoed document is seen only by its reviewers (ADR 24): everyone else is answered as if
// it did not exist. Someone invited sees the brief and may accept, decline or ask for a format.
describe('who may open a review', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const pdfKey = services.storage.newPrivateKey('pdf');
  await services.storage.put(pdfKey, Buffer.from('%PDF-1.4 embargoed'), 'application/pdf');
  const review = await createReview(db, { source: 'pdf', documentKey: pdfKey, documentName: 'draft report.pdf', documentBytes: 18 });
  const section = await addSection(db, review.id, { heading: 'Embargoed findings', bodyHtml: '<p>Secret numbers.</p>' });
  const other = await createReview(db);
  const [reviewer, invited, outsider, otherReviewer, decliner] = [
    await joinedContributor(app, sink, 'Rhys Reviewer'),
    await joinedContributor(app, sink, 'Ifan Invited'),
    await joinedContributor(app, sink, 'Olwen Outsider'),
    await joinedContributor(app, sink, 'Osian Other'),
    await joinedContributor(app, sink, 'Dilys Declined'),
  ];
  await inviteReviewer(db, review.id, reviewer.id, 'accepted');
  const invitedRow = await inviteReviewer(db, review.id, invited.id, 'invited');
  await inviteReviewer(db, other.id, otherReviewer.id, 'accepted');
  await inviteReviewer(db, review.id, decliner.id, 'declined');
  const base = `/profile/reviews/${review.id}`;
  const pages = [base, `${base}/sections/${section.id}`, `${base}/questions`, `${base}/check`, `${base}/document.pdf`];

  it('shows the document and its PDF to a reviewer, as a private download', async () => {
    const page = await reviewer.browser.get(base);
    expect(page.body).toContain('Embargoed findings');
    expect(page.body).toContain(`href="${base}/document.pdf"`);
    const pdf = await reviewer.browser.get(`${base}/document.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.body).toBe('%PDF-1.4 embargoed');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="draft report.pdf"/);
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
    expect(pdf.headers['cache-control']).toMatch(/private, no-store/);
  });

  it('answers 404 to a contributor not invited, a reviewer of another review and someone who declined', async () => {
    for (const who of [outsider, otherReviewer, decliner])
      for (const url of pages) {
        const res = await who.browser.get(url);
        expect(res.statusCode, `${who.name} ${url}`).toBe(404);
        expect(res.body).not.toContain('Embargoed');
        expect(res.body).not.toContain('Secret numbers');
      }
    // A POST is refused the same way, and saves nothing.
    const page = await outsider.browser.get('/profile/reviews');
    const res = await outsider.browser.post(`${base}/sections/${section.id}`, { _csrf: csrfOf(page.body), comment: 'Let me in' });
    expect(res.statusCode).toBe(404);
    expect(await db.select().from(reviewComments).where(eq(reviewComments.sectionId, section.id))).toEqual([]);
  });

  it('sends someone signed out to sign in, whether the review exists or not', async () => {
    const anonymous = new Browser(app);
    for (const url of [...pages, '/profile/reviews/999999']) {
      const res = await anonymous.get(url);
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toBe('/sign-in/email');
      expect(res.body).not.toContain('Embargoed');
    }
  });

  it('shows someone invited the brief and deadline, never the sections, until they accept', async () => {
    const page = await invited.browser.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tell us whether the report is clear.');
    expect(page.body).toContain('Send your review by 5pm');
    expect(page.body).not.toContain('Embargoed findings');
    expect(page.body).not.toContain('document.pdf');
    for (const url of pages.slice(1)) expect((await invited.browser.get(url)).statusCode, url).toBe(404);
    const list = await invited.browser.get('/profile/reviews');
    expect(list.body).toContain('Invitations');
    expect(list.body).toContain(`action="${base}/accept"`);

    const accepted = await invited.browser.submit('/profile/reviews', `${base}/accept`, {});
    expect(accepted.headers.location).toBe(`${base}?saved=accepted`);
    const row = (await db.select().from(reviewReviewers).where(eq(reviewReviewers.id, invitedRow.id)))[0]!;
    expect([row.state, row.respondedAt !== null]).toEqual(['accepted', true]);
    expect((await invited.browser.get(`${base}/sections/${section.id}`)).body).toContain('Secret numbers.');
  });

  it('lets someone invited decline with a reason, after which the review is not theirs to open', async () => {
    const gwen = await joinedContributor(app, sink, 'Gwen Busy');
    const row = await inviteReviewer(db, review.id, gwen.id);
    const res = await gwen.browser.submit(base, `${base}/decline`, { reason: 'Away that month' });
    expect(res.headers.location).toBe('/profile/reviews?saved=declined');
    const saved = (await db.select().from(reviewReviewers).where(eq(reviewReviewers.id, row.id)))[0]!;
    expect([saved.state, saved.declineReason]).toEqual(['declined', 'Away that month']);
    expect((await gwen.browser.get(base)).statusCode).toBe(404);
    const list = await gwen.browser.get('/profile/reviews');
    expect(list.body).toContain('Declined');
    expect(list.body).toContain(review.title);
  });

  it('takes requests for another format or more time, audited and confirmed, with clear errors', async () => {
    const bad = await reviewer.browser.submit(`${base}/request`, `${base}/request`, { kind: 'format' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select the format you need');
    const ok = await reviewer.browser.submit(`${base}/request`, `${base}/request`, {
      kind: 'format',
      format: 'large-print',
      formatDetail: '20 point',
    });
    expect(ok.headers.location).toBe(`${base}?saved=request`);
    await reviewer.browser.submit(`${base}/request`, `${base}/request`, { kind: 'more-time', howMuch: 'A week', why: 'In hospital' });
    const rows = await db.select().from(reviewRequests).orderBy(reviewRequests.id);
    expect(rows.map((r) => [r.kind, r.detail])).toEqual([
      ['format', 'Format: Large print\nNote: 20 point'],
      ['more-time', 'More time: A week\nWhy: In hospital'],
    ]);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, 'review.request-made'))).toHaveLength(2);
    const mails = await db.select().from(mailMessages).where(eq(mailMessages.kind, 'review-request'));
    expect(mails.map((m) => m.toAddress)).toEqual([reviewer.email, reviewer.email]);
  });

  it('puts reviews in "Download my data", and keeps comments anonymised when the account goes', async () => {
    const nia = await joinedContributor(app, sink, 'Nia Leaving');
    const q = await addQuestion(db, review.id, { label: 'Anything else?' });
    const row = await inviteReviewer(db, review.id, nia.id, 'submitted');
    await db.insert(reviewComments).values({ reviewId: review.id, sectionId: section.id, reviewerId: row.id, body: 'Too long.' });
    await db.insert(reviewAnswers).values({ reviewerId: row.id, questionId: q.id, text: 'No' });
    const data = (await services.reviewing.exportFor(nia.id))[0]!;
    expect(data).toMatchObject({
      title: review.title,
      state: 'submitted',
      comments: [{ section: 'Embargoed findings', comment: 'Too long.' }],
      answers: [{ question: 'Anything else?', answer: 'No' }],
      requests: [],
    });
    const yours = await nia.browser.get('/profile/data');
    expect(yours.body).toContain('Document reviews');

    const account = (await services.identity.findAccountById(nia.id))!;
    await services.dataRights.deleteAccount({ ...account, role: 'contributor', jobTitle: null }, 'en');
    const comments = await db.select().from(reviewComments).where(eq(reviewComments.body, 'Too long.'));
    expect(comments.map((c) => c.reviewerId)).toEqual([null]);
    expect(await db.select().from(reviewAnswers).where(eq(reviewAnswers.reviewerId, row.id))).toEqual([]);
    expect(await db.select().from(reviewReviewers).where(eq(reviewReviewers.id, row.id))).toEqual([]);
  });
});
