import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { reviewReviewers } from './tables.ts';
import { createReview, inviteReviewer } from './reviews-test-support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Reminders 3 days and 1 day before the deadline, each once, to accepted reviewers who have not
// sent their review; never for a closed review, and not long after the moment passed.
describe('review reminders', async () => {
  const { db, services } = await buildTestApp();
  const { reviewReminders } = services;
  // Summer time: 16:00 UTC is 5pm in London.
  const deadline = new Date('2030-07-12T16:00:00Z');
  const review = await createReview(db, { title: 'Leaflet on hip replacements', deadline });
  const closed = await createReview(db, { title: 'Closed one', deadline, state: 'closed' });
  const [ana, gwen, ivy, sam, dee, cid] = await Promise.all(
    ['Ana Accepted', 'Gwen Gymraeg', 'Ivy Invited', 'Sam Sent', 'Dee Declined', 'Cid Closed'].map((n) => insertContributor(db, n)),
  );
  const anaRow = await inviteReviewer(db, review.id, ana!.id, 'accepted');
  await inviteReviewer(db, review.id, gwen!.id, 'accepted', { language: 'cy' });
  await inviteReviewer(db, review.id, ivy!.id, 'invited');
  await inviteReviewer(db, review.id, sam!.id, 'submitted');
  await inviteReviewer(db, review.id, dee!.id, 'declined');
  await inviteReviewer(db, closed.id, cid!.id, 'accepted');
  const reminders = () => db.select().from(mailMessages).where(eq(mailMessages.kind, 'review-reminder')).orderBy(mailMessages.id);

  it('sends the 3-day reminder once to accepted reviewers of open reviews, in their language', async () => {
    const at = new Date(deadline.getTime() - 3 * DAY + HOUR);
    expect(await reviewReminders.sendDue(at)).toEqual({ due: 2, sent: 2 });
    const mails = await reminders();
    expect(mails.map((m) => m.toAddress).sort()).toEqual([ana!.email, gwen!.email].sort());
    const en = mails.find((m) => m.toAddress === ana!.email)!;
    expect(en.subject).toBe('Reminder: your review of Leaflet on hip replacements is due in 3 days');
    expect(en.textBody).toContain('Please send your review of “Leaflet on hip replacements” by 5pm on Friday 12 July 2030.');
    expect(en.textBody).toContain(`/profile/reviews/${review.id}`);
    const cy = mails.find((m) => m.toAddress === gwen!.email)!;
    expect(cy.subject).toBe('Nodyn atgoffa: mae eich adolygiad o Leaflet on hip replacements i fod ymhen 3 diwrnod');
    expect(cy.textBody).toContain('erbyn 5yp ddydd Gwener 12 Gorffennaf 2030');
    expect((await db.select().from(reviewReviewers).where(eq(reviewReviewers.id, anaRow.id)))[0]!.remindersSent).toEqual(['3-days']);

    // Again, and twice at once: nothing more.
    expect(await reviewReminders.sendDue(new Date(at.getTime() + HOUR))).toEqual({ due: 0, sent: 0 });
    await Promise.all([reviewReminders.sendDue(at), reviewReminders.sendDue(at)]);
    expect(await reminders()).toHaveLength(2);
  });

  it('drops a reminder whose moment passed more than 12 hours ago', async () => {
    const lateRow = await inviteReviewer(db, review.id, (await insertContributor(db, 'Lee Late')).id, 'accepted');
    expect(await reviewReminders.sendDue(new Date(deadline.getTime() - 3 * DAY + 13 * HOUR))).toEqual({ due: 0, sent: 0 });
    expect((await db.select().from(reviewReviewers).where(eq(reviewReviewers.id, lateRow.id)))[0]!.remindersSent).toEqual([]);
  });

  it('sends the day-before reminder once, and nothing after the deadline or to someone who has sent theirs', async () => {
    await db.update(reviewReviewers).set({ state: 'submitted', submittedAt: new Date() }).where(eq(reviewReviewers.userId, gwen!.id));
    const at = new Date(deadline.getTime() - DAY + 5 * 60_000);
    const result = await reviewReminders.sendDue(at);
    expect(result.sent).toBe(2);
    const dayBefore = (await reminders()).filter((m) => m.subject.endsWith('is due tomorrow'));
    expect(dayBefore.map((m) => m.toAddress)).toContain(ana!.email);
    expect(dayBefore.map((m) => m.toAddress)).not.toContain(gwen!.email);
    expect(await reviewReminders.sendDue(at)).toEqual({ due: 0, sent: 0 });
    expect(await reviewReminders.sendDue(new Date(deadline.getTime() + HOUR))).toEqual({ due: 0, sent: 0 });
    const everyone = (await reminders()).map((m) => m.toAddress);
    for (const p of [ivy, sam, dee, cid]) expect(everyone).not.toContain(p!.email);
  });
});
