import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { rates } from '#src/features/involvement/tables.ts';
import { postReviewForm, reviewForm, reviewIdFrom } from './commission-test-support.ts';
import { addMember, createGroup } from '#src/features/groups/groups-test-support.ts';
import { reviewRequests, reviewReviewers, reviews } from './tables.ts';

describe('inviting reviewers, who accept or decline by the emailed link', async () => {
  const { app, db } = await buildTestApp();
  const { browser: lead } = await signedInBrowser(app, 'involvement');
  await db.insert(rates).values({ kind: 'review', name: 'Document review', unit: 'task', amountPence: 5000, effectiveFrom: '2020-01-01' });
  const ann = await insertContributor(db, 'Ann Reviewer', { language: 'en' });
  const bryn = await insertContributor(db, 'Bryn Adolygydd', { language: 'cy' });
  const cai = await insertContributor(db, 'Cai Later');
  const created = await postReviewForm(
    app,
    lead,
    '/admin/reviews/new',
    reviewForm({ title: 'Leaflet on flu jabs', kind: 'leaflet', activityKind: 'review' }),
  );
  const id = reviewIdFrom(created.headers.location);
  const page = `/admin/reviews/${id}`;

  const invitationsTo = (email: string) =>
    db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.toAddress, email), eq(mailMessages.kind, 'review-invitation')));
  const reviewerOf = async (userId: string) =>
    (
      await db
        .select()
        .from(reviewReviewers)
        .where(and(eq(reviewReviewers.reviewId, id), eq(reviewReviewers.userId, userId)))
    )[0]!;
  const links = async (email: string) => {
    const [mail] = await invitationsTo(email);
    const accept = /http:\/\/localhost:3000(\/reviews\/invitation\/[A-Za-z0-9_-]{43}\/accept)/.exec(mail!.textBody)?.[1];
    const decline = /http:\/\/localhost:3000(\/reviews\/invitation\/[A-Za-z0-9_-]{43}\/decline)/.exec(mail!.textBody)?.[1];
    return { mail: mail!, accept: accept!, decline: decline! };
  };

  it('finds people in the register and keeps their invitations until the review opens', async () => {
    expect((await lead.get(`${page}?q=Ann`)).body).toContain('Ann Reviewer');
    const res = await lead.submit(page, `${page}/reviewers`, { userIds: [ann.id, bryn.id] });
    expect(res.headers.location).toBe(`${page}?saved=invited&count=2`);
    expect((await reviewerOf(bryn.id)).language).toBe('cy');
    expect(await invitationsTo(ann.email)).toEqual([]);
    expect((await lead.get(page)).body).toContain('Bryn Adolygydd');
    expect((await db.select().from(auditEvents)).filter((e) => e.action === 'review.reviewers-invited')).toHaveLength(1);
  });

  it('emails everyone invited when it opens, each in their language, with the fee and both links', async () => {
    expect((await lead.submit(page, `${page}/open`, {})).headers.location).toBe(`${page}?saved=opened&count=2`);
    const en = await links(ann.email);
    expect(en.mail.subject).toBe('Will you review Leaflet on flu jabs?');
    expect(en.mail.textBody).toContain('We pay £50.00 for this review.');
    expect(en.mail.textBody).toContain('Tell us whether the summary makes sense.');
    expect(en.accept).toBeTruthy();
    expect(en.decline).toBeTruthy();
    const cy = await links(bryn.email);
    expect(cy.mail.subject).toBe('A wnewch chi adolygu Leaflet on flu jabs?');
    expect(cy.mail.textBody).toContain('Rydym yn talu £50.00 am yr adolygiad hwn.');
    expect(cy.mail.textBody).toContain('Taflen');
    expect(cy.accept).toBeTruthy();
    expect(cy.decline).toBeTruthy();
    // Only the hash of the emailed token is kept.
    expect((await reviewerOf(ann.id)).tokenHash).toMatch(/^[a-f0-9]{64}$/);
    expect(en.mail.textBody).not.toContain((await reviewerOf(ann.id)).tokenHash);
  });

  it('accepts by the link, signed out: GET only asks, POST acts', async () => {
    const { accept, decline } = await links(ann.email);
    const browser = new Browser(app);
    const ask = await browser.get(accept);
    expect(ask.statusCode).toBe(200);
    expect(ask.headers['cache-control']).toContain('no-store');
    expect(ask.body).toContain('Accept the invitation to review Leaflet on flu jabs');
    expect((await browser.get(decline)).statusCode).toBe(200);
    expect((await reviewerOf(ann.id)).state).toBe('invited');
    const done = await browser.submit(accept, accept, {});
    expect(done.statusCode).toBe(303);
    const row = await reviewerOf(ann.id);
    expect(row.state).toBe('accepted');
    expect(row.respondedAt).not.toBeNull();
    const thanks = await browser.get(String(done.headers.location));
    expect(thanks.body).toContain('You have accepted: thank you');
    expect(thanks.body).toContain(`/sign-in/email?next=${encodeURIComponent(`/profile/reviews/${id}`)}`);
    const [answered] = (await db.select().from(auditEvents)).filter((e) => e.action === 'review.invitation-answered');
    expect(answered).toMatchObject({ actorUserId: null, subjectUserId: ann.id });
  });

  it('declines with an optional reason (in Welsh), and may accept afterwards while the review is open', async () => {
    const { accept, decline } = await links(bryn.email);
    const browser = new Browser(app);
    const welsh = await browser.get(`${decline}?lang=cy`);
    expect(welsh.body).toContain('Gwrthod y gwahoddiad i adolygu Leaflet on flu jabs');
    const tooLong = await browser.submit(decline, decline, { reason: 'x'.repeat(501) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('href="#reason"');
    expect((await reviewerOf(bryn.id)).state).toBe('invited');
    expect((await browser.submit(decline, decline, { reason: 'I am away that month.' })).statusCode).toBe(303);
    expect(await reviewerOf(bryn.id)).toMatchObject({ state: 'declined', declineReason: 'I am away that month.' });
    const staffPage = await lead.get(page);
    expect(staffPage.body).toContain('Declined');
    expect(staffPage.body).toContain('Reason: I am away that month.');
    expect((await browser.submit(accept, accept, {})).statusCode).toBe(303);
    expect(await reviewerOf(bryn.id)).toMatchObject({ state: 'accepted', declineReason: null });
  });

  it('answers 404 for a token it does not know, and changes nothing', async () => {
    const browser = new Browser(app);
    const unknown = `/reviews/invitation/${'A'.repeat(43)}/accept`;
    expect((await browser.get(unknown)).statusCode).toBe(404);
    expect((await browser.get('/reviews/invitation/short/decline')).statusCode).toBe(404);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/join')).body)![1]!;
    expect((await browser.post(unknown, { _csrf: csrf })).statusCode).toBe(404);
  });

  it('invites the contributors in a group, remembering the group', async () => {
    const dee = await insertContributor(db, 'Dee Member');
    const g = await createGroup(db, { name: 'Readers panel' });
    await addMember(db, g.id, dee.id);
    await addMember(db, g.id, ann.id);
    const empty = await lead.submit(page, `${page}/reviewers/group`, { groupId: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#group-groupId"');
    const res = await lead.submit(page, `${page}/reviewers/group`, { groupId: String(g.id) });
    expect(res.headers.location).toBe(`${page}?saved=invited&count=1`);
    expect(await reviewerOf(dee.id)).toMatchObject({ source: 'group', state: 'invited' });
    expect((await db.select().from(reviews).where(eq(reviews.id, id)))[0]!.groupId).toBe(g.id);
    expect(await invitationsTo(dee.email)).toHaveLength(1);
    // Suggestions need an opportunity: the page says so.
    expect((await lead.get(page)).body).toContain('Suggestions come from the opportunity');
  });

  it('moves the deadline; a later one sends the reminders again', async () => {
    await db
      .update(reviewReviewers)
      .set({ remindersSent: ['week'] })
      .where(eq(reviewReviewers.reviewId, id));
    const past = await lead.submit(page, `${page}/deadline`, {
      'deadline-day': '1',
      'deadline-month': '1',
      'deadline-year': '2020',
      deadlineTime: '17:00',
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('href="#deadline-deadline"');
    const later = new Date(Date.now() + 60 * 24 * 3600_000);
    const res = await lead.submit(page, `${page}/deadline`, {
      'deadline-day': String(later.getUTCDate()),
      'deadline-month': String(later.getUTCMonth() + 1),
      'deadline-year': String(later.getUTCFullYear()),
      deadlineTime: '12:00',
    });
    expect(res.headers.location).toBe(`${page}?saved=deadline`);
    expect((await reviewerOf(ann.id)).remindersSent).toEqual([]);
  });

  it("lists reviewers' requests (the look is audited), counts them on the staff home and marks them handled", async () => {
    const reviewer = await reviewerOf(ann.id);
    const [request] = await db
      .insert(reviewRequests)
      .values({ reviewerId: reviewer.id, kind: 'format', detail: 'Large print, please' })
      .returning();
    expect((await lead.get('/admin')).body).toContain('1 request from a reviewer to handle');
    const shown = await lead.get(page);
    expect(shown.body).toContain('Large print, please');
    expect((await db.select().from(auditEvents)).some((e) => e.action === 'review.requests-viewed')).toBe(true);
    const action = `${page}/requests/${request!.id}/handled`;
    expect((await lead.submit(page, action, { note: 'Posted a large-print copy' })).headers.location).toBe(`${page}?saved=handled`);
    const [handled] = await db.select().from(reviewRequests).where(eq(reviewRequests.id, request!.id));
    expect(handled).toMatchObject({ handledNote: 'Posted a large-print copy' });
    expect(handled!.handledAt).not.toBeNull();
    expect((await lead.get('/admin')).body).not.toContain('request from a reviewer to handle');
    expect((await lead.submit(page, `${page}/requests/999999/handled`, {})).statusCode).toBe(404);
  });

  it('emails a later invitation at once, and shows a closed review kindly', async () => {
    expect((await lead.submit(page, `${page}/reviewers`, { userIds: [cai.id, ann.id] })).headers.location).toBe(
      `${page}?saved=invited&count=1`,
    );
    const { accept } = await links(cai.email);
    expect(await reviewerOf(ann.id)).toMatchObject({ state: 'accepted' });
    expect((await lead.submit(page, `${page}/close`, {})).statusCode).toBe(303);
    const browser = new Browser(app);
    const closed = await browser.get(accept);
    expect(closed.statusCode).toBe(410);
    expect(closed.body).toContain('This review has closed');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/join')).body)![1]!;
    expect((await browser.post(accept, { _csrf: csrf })).statusCode).toBe(303);
    expect((await reviewerOf(cai.id)).state).toBe('invited');
    expect((await lead.submit(page, `${page}/reviewers`, { userIds: [bryn.id] })).statusCode).toBe(409);
  });
});
