import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { involvementRecords } from '#src/features/involvement/tables.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { reviewAnswers, reviewComments, reviewReviewers, reviews } from './tables.ts';
import { addQuestion, addSection, createReview, inviteReviewer } from './reviews-test-support.ts';

// A reviewer's journey: comments saved section by section and shown again, the questions, the
// check page, sending (an involvement record, an email, read only after), and the refusals.
describe('reviewing a document', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const reviewerRow = (id: number) =>
    db
      .select()
      .from(reviewReviewers)
      .where(eq(reviewReviewers.id, id))
      .then((r) => r[0]!);

  it('saves comments section by section, shows them again, then sends the review as paid involvement', async () => {
    const ana = await joinedContributor(app, sink, 'Ana Reviewer');
    const review = await createReview(db, { estimatedMinutes: 150 });
    const [one, two, three] = [
      await addSection(db, review.id, { heading: 'Introduction' }),
      await addSection(db, review.id, { heading: 'Findings' }),
      await addSection(db, review.id, { heading: 'What next' }),
    ];
    const clear = await addQuestion(db, review.id, {
      kind: 'rating',
      label: 'How clear is it?',
      options: ['Very unclear', 'Unclear', 'OK', 'Clear', 'Very clear'],
      required: true,
    });
    const missed = await addQuestion(db, review.id, { kind: 'multiple-choice', label: 'What is missing?', options: ['Costs', 'Dates'] });
    const me = await inviteReviewer(db, review.id, ana.id, 'accepted');
    const base = `/profile/reviews/${review.id}`;

    const page = await ana.browser.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tell us whether the report is clear.');
    expect(page.body).toMatch(/Send your review by 5pm on \w+day \d+ \w+ \d{4}\./);
    expect(page.body).toMatch(/\d+ days left/);
    expect(page.body).toContain(`href="${base}/sections/${one.id}"`);
    expect(page.body).not.toContain('✓ Commented on');

    const first = await ana.browser.submit(`${base}/sections/${one.id}`, `${base}/sections/${one.id}`, {
      comment: 'Say who wrote it.\nAnd when.',
      action: 'next',
    });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`${base}/sections/${two.id}`);
    const section = await ana.browser.get(`${base}/sections/${two.id}`);
    expect(section.body).toMatch(/<h2[^>]*>Findings<\/h2>/);
    expect(section.body).toContain('<p>Text of Findings.</p>');
    const toContents = await ana.browser.submit(`${base}/sections/${two.id}`, `${base}/sections/${two.id}`, {
      comment: 'The chart has no key.',
      action: 'contents',
    });
    expect(toContents.headers.location).toBe(`${base}?saved=section`);
    expect((await reviewerRow(me.id)).lastSavedAt).not.toBeNull();

    // Back later: both comments are there, and the contents shows which sections have one.
    const again = await ana.browser.get(base);
    expect(again.body.match(/✓ Commented on/g)).toHaveLength(2);
    expect(again.body).toContain('You have commented on 2 of 3 sections.');
    expect((await ana.browser.get(`${base}/sections/${one.id}`)).body).toContain('Say who wrote it.\nAnd when.</textarea>');
    const list = await ana.browser.get('/profile/reviews');
    expect(list.body).toContain(review.title);
    expect(list.body).toContain('You have commented on 2 sections.');

    // The last section leads to the questions; an answer not from the list is refused.
    const last = await ana.browser.submit(`${base}/sections/${three.id}`, `${base}/sections/${three.id}`, {
      comment: '',
      action: 'next',
    });
    expect(last.headers.location).toBe(`${base}/questions`);
    const questions = await ana.browser.get(`${base}/questions`);
    expect(questions.body).toContain('How long did the review take you? (hours, optional)');
    expect(questions.body).toContain('3: OK');
    const bad = await ana.browser.submit(`${base}/questions`, `${base}/questions`, { [`q${clear.id}`]: '9', hours: 'lots' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select an answer to “How clear is it?” from the list');
    expect(bad.body).toContain('Enter the hours as a number');
    expect(await db.select().from(reviewAnswers).where(eq(reviewAnswers.reviewerId, me.id))).toEqual([]);

    // Sending with the required rating unanswered is refused, linking to the question.
    await ana.browser.submit(`${base}/questions`, `${base}/questions`, {
      [`q${missed.id}`]: ['Costs', 'Dates'],
      hours: '',
      nameInSummary: 'no',
    });
    const refused = await ana.browser.submit(`${base}/check`, `${base}/submit`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`href="${base}/questions#q${clear.id}"`);
    expect(refused.body).toContain('Answer “How clear is it?”');
    expect((await reviewerRow(me.id)).state).toBe('accepted');

    const saved = await ana.browser.submit(`${base}/questions`, `${base}/questions`, {
      [`q${clear.id}`]: '4',
      [`q${missed.id}`]: 'Costs',
      hours: '2.5',
      nameInSummary: 'yes',
    });
    expect(saved.headers.location).toBe(`${base}/check`);
    const check = await ana.browser.get(`${base}/check`);
    expect(check.body).toContain('Say who wrote it.<br>And when.');
    expect(check.body).toContain('The chart has no key.');
    expect(check.body).toContain('4: Clear');
    expect(check.body).toContain('2.5 hours');
    expect(check.body).toContain(`href="${base}/sections/${one.id}"`);
    // What was saved is shown again on the questions page.
    const back = await ana.browser.get(`${base}/questions`);
    expect(back.body).toMatch(new RegExp(`name="q${clear.id}" type="radio" value="4" checked`));
    expect(back.body).toContain('value="2.5"');

    const sent = await ana.browser.submit(`${base}/check`, `${base}/submit`, {});
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${base}/thanks`);
    const thanks = await ana.browser.get(`${base}/thanks`);
    expect(thanks.body).toContain('<a href="/profile/involvement">What I have done</a>, where you can claim the fee');
    const row = await reviewerRow(me.id);
    expect(row.state).toBe('submitted');
    expect(row.minutesSpent).toBe(150);
    expect(row.nameInSummary).toBe(true);
    const records = await db
      .select()
      .from(involvementRecords)
      .where(and(eq(involvementRecords.source, 'review'), eq(involvementRecords.sourceId, review.id)));
    expect(records.map((r) => [r.userId, r.minutes, r.role, r.activityKind, r.path])).toEqual([[ana.id, 150, 'reviewer', 'review', base]]);
    const [mail] = await db
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.idempotencyKey, `review-submitted-${me.id}`));
    expect(mail!.toAddress).toBe(ana.email);
    expect(mail!.subject).toBe(`We have your review of ${review.title}`);
    expect(mail!.textBody).toContain('where you can claim the fee');
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, 'review.submitted'))).toHaveLength(1);

    // Read only now: no form, no Change links, and a save changes nothing.
    const readOnly = await ana.browser.get(`${base}/sections/${one.id}`);
    expect(readOnly.body).not.toContain('<textarea');
    expect(readOnly.body).toContain('Say who wrote it.');
    expect((await ana.browser.get(`${base}/check`)).body).not.toContain('>Change<');
    expect((await ana.browser.get(`${base}/questions`)).headers.location).toBe(`${base}/check`);
    const late = await ana.browser.post(`${base}/sections/${one.id}`, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(readOnly.body)![1]!,
      comment: 'Changed',
    });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('You have already sent your review');
    const comments = await db.select().from(reviewComments).where(eq(reviewComments.reviewerId, me.id));
    expect(comments.map((c) => c.body).sort()).toEqual(['Say who wrote it.\nAnd when.', 'The chart has no key.']);

    // A second reviewer's time is staff's estimate; the first's record stays.
    const ben = await joinedContributor(app, sink, 'Ben Reviewer');
    const hisRow = await inviteReviewer(db, review.id, ben.id, 'accepted');
    await db.insert(reviewComments).values({ reviewId: review.id, sectionId: one.id, reviewerId: hisRow.id, body: 'Fine.' });
    await db.insert(reviewAnswers).values({ reviewerId: hisRow.id, questionId: clear.id, values: ['5'] });
    expect((await ben.browser.submit(`${base}/check`, `${base}/submit`, {})).statusCode).toBe(303);
    const both = await db.select().from(involvementRecords).where(eq(involvementRecords.sourceId, review.id));
    expect(both.map((r) => [r.userId === ana.id ? 'ana' : 'ben', r.minutes]).sort()).toEqual([
      ['ana', 150],
      ['ben', 150],
    ]);
  });

  it('refuses an empty review, and any review once the review is closed; late is fine while open', async () => {
    const cai = await joinedContributor(app, sink, 'Cai Late');
    const review = await createReview(db, { deadline: new Date(Date.now() - 86_400_000) });
    const s = await addSection(db, review.id);
    const me = await inviteReviewer(db, review.id, cai.id, 'accepted');
    const base = `/profile/reviews/${review.id}`;
    const page = await cai.browser.get(base);
    expect(page.body).toContain('The deadline has passed, but you can still send your review until staff close it');

    const empty = await cai.browser.submit(`${base}/check`, `${base}/submit`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write a comment on a section or answer a question before you send your review');
    expect((await reviewerRow(me.id)).state).toBe('accepted');

    await cai.browser.submit(`${base}/sections/${s.id}`, `${base}/sections/${s.id}`, { comment: 'Late but here.' });
    const form = await cai.browser.get(`${base}/check`);
    await db.update(reviews).set({ state: 'closed', closedAt: new Date() }).where(eq(reviews.id, review.id));
    const closed = await cai.browser.post(`${base}/submit`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)![1]! });
    expect(closed.statusCode).toBe(409);
    expect(closed.body).toContain('This review is closed');
    expect((await reviewerRow(me.id)).state).toBe('accepted');
    expect(await db.select().from(involvementRecords).where(eq(involvementRecords.sourceId, review.id))).toEqual([]);
    expect((await cai.browser.get(base)).body).toContain('Staff have closed this review.');
    expect((await cai.browser.get('/profile/reviews')).body).toContain('Closed');
  });

  it('answers 404 for a section of another review, and saves nothing', async () => {
    const dai = await joinedContributor(app, sink, 'Dai Crossed');
    const mine = await createReview(db);
    const mySection = await addSection(db, mine.id);
    const other = await createReview(db);
    const theirs = await addSection(db, other.id);
    const me = await inviteReviewer(db, mine.id, dai.id, 'accepted');
    const url = `/profile/reviews/${mine.id}/sections/${theirs.id}`;
    expect((await dai.browser.get(url)).statusCode).toBe(404);
    const page = await dai.browser.get(`/profile/reviews/${mine.id}/sections/${mySection.id}`);
    const res = await dai.browser.post(url, { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!, comment: 'Sneaky' });
    expect(res.statusCode).toBe(404);
    expect(await db.select().from(reviewComments).where(eq(reviewComments.reviewerId, me.id))).toEqual([]);
    expect((await reviewerRow(me.id)).lastSavedAt).toBeNull();
  });

  it('shows the pages in Welsh with no catalogue keys', async () => {
    const eira = await joinedContributor(app, sink, 'Eira Cymraeg');
    const review = await createReview(db, { deadline: new Date('2030-12-13T17:00:00Z') });
    const s = await addSection(db, review.id);
    await addQuestion(db, review.id, { kind: 'yes-no', label: 'Is it clear?' });
    await inviteReviewer(db, review.id, eira.id, 'accepted');
    const base = `/profile/reviews/${review.id}`;
    const key = /\breviewing\.[a-z][\w.-]*/;
    for (const url of ['/profile/reviews', base, `${base}/sections/${s.id}`, `${base}/questions`, `${base}/check`, `${base}/request`]) {
      const res = await eira.browser.get(`${url}?lang=cy`);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<html lang="cy"');
      expect(key.exec(res.body.replace(/\b(?:href|action|id|for|name)="[^"]*"/g, ''))?.[0], url).toBeUndefined();
    }
    const page = await eira.browser.get(`${base}?lang=cy`);
    expect(page.body).toContain('Anfonwch eich adolygiad erbyn 5yp ddydd Gwener 13 Rhagfyr 2030.');
  });
});
