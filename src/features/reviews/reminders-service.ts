import type { FeatureContext } from '#src/platform/feature.ts';
import { createReviewingRepository } from './reviewing-repository.ts';
import { deadlineWords } from './reviewing-words.ts';
import type { ReviewerRow, ReviewRow } from './reviews-repository.ts';

const E = 'reviewing.emails.reminder';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A reminder whose moment passed longer ago than this is dropped (the app was down, say): a "3
// days left" email a day late would mislead.
export const REMINDER_GRACE_MS = 12 * HOUR;

// Reminders before the deadline, each once: 3 days and 1 day before. The mark is noted in the
// reviewer's `remindersSent` in the same transaction that enqueues the email (whose key the mail
// log accepts once), so a repeat round or a second instance sends nothing twice.
export const reminderMarks = [
  { mark: '3-days', before: 3 * DAY },
  { mark: '1-day', before: DAY },
] as const;

export function createReviewRemindersService(ctx: FeatureContext) {
  const { db, config, services, i18n } = ctx;
  const repo = createReviewingRepository(db);

  async function send(review: ReviewRow, reviewer: ReviewerRow, mark: (typeof reminderMarks)[number], now: Date): Promise<boolean> {
    const person = await services.identity.findAccountById(reviewer.userId);
    if (!person) return false;
    const tr = i18n.translator(reviewer.language);
    const org = await services.settings.get();
    const words = deadlineWords(tr, review.deadline, now);
    return db.transaction(async (tx) => {
      if (!(await repo.noteReminder(reviewer.id, mark.mark, tx))) return false;
      await services.mail.enqueue(
        {
          to: person.email,
          lang: tr.lang,
          subject: tr.t(`${E}.subject.${mark.mark}`, { title: review.title }),
          heading: tr.t(`${E}.heading`),
          paragraphs: [
            tr.t(`${E}.dear`, { name: person.name }),
            tr.t(`${E}.due`, { title: review.title, by: words.by }),
            tr.t(`${E}.saved`),
            tr.t(`${E}.moreTime`),
          ],
          action: {
            text: tr.t(`${E}.action`),
            href: `${config.baseUrl}/profile/reviews/${review.id}${tr.lang === 'cy' ? '?lang=cy' : ''}`,
          },
          footer: [tr.t(`${E}.footer`, { org: org.name })],
        },
        { key: `review-reminder:${reviewer.id}:${mark.mark}`, kind: 'review-reminder', tx },
      );
      return true;
    });
  }

  return {
    // Every reminder due at `now`: accepted reviewers (not declined, not yet submitted) of open
    // reviews whose mark has come within the last 12 hours and was not sent before. Run by the
    // repeating job; tests call it with the time they need.
    async sendDue(now = new Date()): Promise<{ due: number; sent: number }> {
      const rows = await repo.dueSoon(now, reminderMarks[0].before);
      let due = 0;
      let sent = 0;
      for (const { review, reviewer } of rows) {
        for (const m of reminderMarks) {
          const moment = review.deadline.getTime() - m.before;
          const inWindow = moment <= now.getTime() && moment > now.getTime() - REMINDER_GRACE_MS;
          if (!inWindow || reviewer.remindersSent.includes(m.mark)) continue;
          due++;
          if (await send(review, reviewer, m, now)) sent++;
        }
      }
      return { due, sent };
    },
  };
}
export type ReviewRemindersService = ReturnType<typeof createReviewRemindersService>;
