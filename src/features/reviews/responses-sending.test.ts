import { describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { insertComment, insertReviewer, reviewWithComments, signedInContributor } from './responses-test-support.ts';
import { reviewResponses, reviewReviewers } from './tables.ts';

// Staff answer each comment (an outcome and a sentence of why), send the answers to reviewers by
// email in their language (once, and again only after a change), and each reviewer reads theirs.
describe('responding to comments', async () => {
  const { app, db } = await buildTestApp();
  const { browser: staff } = await signedInBrowser(app, 'involvement');
  const ana = await signedInContributor(app, 'Ana Adolygydd');
  const bryn = await signedInContributor(app, 'Bryn Beirniad');
  const other = await signedInContributor(app, 'Owain Arall');
  const dai = await insertContributor(db, 'Dai Drafft');
  const { review, sections, reviewers } = await reviewWithComments(db, [ana, bryn]);
  const [anaR, brynR] = reviewers;
  const anaIntro = await insertComment(db, review.id, sections.intro.id, anaR!.id, 'The introduction uses too much jargon.');
  const anaMethod = await insertComment(db, review.id, sections.method.id, anaR!.id, 'Say how long it took.');
  const brynIntro = await insertComment(db, review.id, sections.intro.id, brynR!.id, "Mae'r cyflwyniad yn rhy hir.");
  const daiR = await insertReviewer(db, review.id, dai.id, { state: 'accepted' });
  const daiDraft = await insertComment(db, review.id, sections.intro.id, daiR.id, 'Still thinking.');
  const { review: elsewhere, sections: elsewhereSections } = await reviewWithComments(db, []);
  const elsewhereR = await insertReviewer(db, elsewhere.id, other.id);
  const foreign = await insertComment(db, elsewhere.id, elsewhereSections.intro.id, elsewhereR.id, 'Another review entirely.');

  const base = `/admin/reviews/${review.id}`;
  const collate = `${base}/collate`;
  const respond = (commentId: number, form: Record<string, string>, reviewId = review.id) =>
    staff.submit(collate, `/admin/reviews/${reviewId}/comments/${commentId}/response`, form);
  const responseOf = async (commentId: number) =>
    (await db.select().from(reviewResponses).where(eq(reviewResponses.commentId, commentId)))[0];
  const mailTo = (email: string) =>
    db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.toAddress, email), eq(mailMessages.kind, 'review-response')))
      // In the order they were written: a query without an order may return them either way round.
      .orderBy(asc(mailMessages.id));
  const send = () => staff.submit(collate, `${base}/send-responses`, {});

  it('saves an outcome and a reason, and shows it on the collate page', async () => {
    const res = await respond(anaIntro.id, { outcome: 'changed', reason: 'We replaced the jargon with plain words.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${collate}?saved=response#comment-${anaIntro.id}`);
    expect(await responseOf(anaIntro.id)).toMatchObject({ outcome: 'changed', reason: 'We replaced the jargon with plain words.' });
    const page = await staff.get(`${collate}?saved=response`);
    expect(page.body).toContain('Response saved.');
    expect(page.body).toContain('We replaced the jargon with plain words.');
    expect(page.body).toContain('Not sent to the reviewer yet.');
  });

  it('refuses a missing outcome or reason, or one too long, with nothing saved', async () => {
    const noReason = await respond(anaMethod.id, { outcome: 'not-changed', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter a sentence saying why');
    expect(noReason.body).toContain(`href="#reason-${anaMethod.id}"`);
    const noOutcome = await respond(anaMethod.id, { reason: 'Because.' });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.body).toContain('Select what you did about this comment');
    expect(noOutcome.body).toContain('Because.');
    const tooLong = await respond(anaMethod.id, { outcome: 'not-changed', reason: 'x'.repeat(1001) });
    expect(tooLong.statusCode).toBe(400);
    const strange = await respond(anaMethod.id, { outcome: 'deleted', reason: 'Because.' });
    expect(strange.statusCode).toBe(400);
    expect(await responseOf(anaMethod.id)).toBeUndefined();
  });

  it('answers 404 for a comment of another review, or a draft, and changes nothing', async () => {
    expect((await respond(foreign.id, { outcome: 'changed', reason: 'Sneaky.' })).statusCode).toBe(404);
    expect((await respond(daiDraft.id, { outcome: 'changed', reason: 'Too early.' })).statusCode).toBe(404);
    expect((await respond(anaMethod.id, { outcome: 'changed', reason: 'Wrong review.' }, elsewhere.id)).statusCode).toBe(404);
    expect((await respond(anaMethod.id, { outcome: 'changed', reason: 'No review.' }, 999999)).statusCode).toBe(404);
    for (const c of [foreign, daiDraft, anaMethod]) expect(await responseOf(c.id)).toBeUndefined();
  });

  it('emails each reviewer with a response once, in their language, and records when', async () => {
    await respond(anaMethod.id, { outcome: 'out-of-scope', reason: 'The method is fixed by the funder.' });
    await respond(brynIntro.id, { outcome: 'changed-differently', reason: 'We moved part of it to an appendix.' });
    const res = await send();
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${collate}?sent=2`);
    expect((await staff.get(String(res.headers.location))).body).toContain('The responses were emailed to 2 reviewers.');
    const [toAna] = await mailTo(ana.email);
    expect(toAna!.subject).toBe(`Your comments on ${review.title} have been answered`);
    expect(toAna!.textBody).toContain(`/profile/reviews/${review.id}/response`);
    const [toBryn] = await mailTo(bryn.email);
    expect(toBryn!.subject).toBe(`Rydyn ni wedi ateb eich sylwadau ar ${review.title}`);
    expect(toBryn!.textBody).toContain(`/profile/reviews/${review.id}/response?lang=cy`);
    const sentAt = await db.select().from(reviewReviewers).where(eq(reviewReviewers.reviewId, review.id));
    expect(
      sentAt
        .filter((r) => r.responseSentAt)
        .map((r) => r.userId)
        .sort(),
    ).toEqual([ana.id, bryn.id].sort());
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, 'review.responses-sent'));
    expect(audit.map((a) => a.details)).toEqual([{ reviewId: review.id, reviewers: 2 }]);
    expect((await staff.get(collate)).body).toContain('Sent to the reviewer.');
  });

  it('sends again only to reviewers whose responses changed since', async () => {
    const nothing = await send();
    expect(nothing.headers.location).toBe(`${collate}?sent=0`);
    // The same words saved again are no change.
    await respond(brynIntro.id, { outcome: 'changed-differently', reason: 'We moved part of it to an appendix.' });
    expect((await send()).headers.location).toBe(`${collate}?sent=0`);
    await respond(anaIntro.id, { outcome: 'changed', reason: 'We replaced the jargon and added a glossary.' });
    expect((await staff.get(collate)).body).toContain('Not sent to the reviewer yet.');
    expect((await send()).headers.location).toBe(`${collate}?sent=1`);
    const toAna = await mailTo(ana.email);
    expect(toAna).toHaveLength(2);
    expect(toAna[1]!.textBody).toContain('Since we last wrote, we have answered more of your comments or changed an answer.');
    expect(await mailTo(bryn.email)).toHaveLength(1);
  });

  it('shows a reviewer their comments with what we did and why, in their language', async () => {
    const page = await ana.browser.get(`/profile/reviews/${review.id}/response`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What we did with your comments');
    expect(page.body).toContain('Introduction');
    expect(page.body).toContain('The introduction uses too much jargon.');
    expect(page.body).toContain('Changed as suggested');
    expect(page.body).toContain('We replaced the jargon and added a glossary.');
    expect(page.body).toContain('Outside what this review could change');
    expect(page.body).not.toContain('rhy hir');
    const welsh = await bryn.browser.get(`/profile/reviews/${review.id}/response?lang=cy`);
    expect(welsh.statusCode).toBe(200);
    expect(welsh.body).toContain('Wedi&#39;i newid, ond mewn ffordd wahanol');
    expect(welsh.body).toContain('We moved part of it to an appendix.');
    expect(welsh.body).not.toContain('too much jargon');
  });

  it('keeps a response the reviewer has not been sent off their page', async () => {
    await respond(anaIntro.id, { outcome: 'not-changed', reason: 'On reflection the terms are needed.' });
    const page = await ana.browser.get(`/profile/reviews/${review.id}/response`);
    expect(page.body).not.toContain('On reflection');
    expect(page.body).toContain('We have not answered this comment yet.');
  });

  it('answers 404 to anyone who did not review it and submit', async () => {
    expect((await other.browser.get(`/profile/reviews/${review.id}/response`)).statusCode).toBe(404);
    await db.update(reviewReviewers).set({ state: 'accepted', submittedAt: null }).where(eq(reviewReviewers.id, brynR!.id));
    expect((await bryn.browser.get(`/profile/reviews/${review.id}/response`)).statusCode).toBe(404);
    expect((await ana.browser.get('/profile/reviews/999999/response')).statusCode).toBe(404);
    expect((await staff.get(`/profile/reviews/${review.id}/response`)).statusCode).toBe(403);
  });
});
