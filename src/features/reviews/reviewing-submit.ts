import type { Db, Tx } from '#src/db/client.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { createReviewingRepository } from './reviewing-repository.ts';
import { refusalFor, type Opened, type Refusal } from './reviewing-state.ts';
import { createReviewsRepository, type QuestionRow, type ReviewerRow, type ReviewRow } from './reviews-repository.ts';

const E = 'reviewing.emails.submitted';

export type SubmitOutcome =
  | { kind: 'submitted' }
  | { kind: 'refused'; why: Refusal }
  // Nothing written: no comment on any section and no answer to any question.
  | { kind: 'empty' }
  // Required questions left unanswered.
  | { kind: 'missing'; questions: QuestionRow[] };

export const reviewPath = (reviewId: number) => `/profile/reviews/${reviewId}`;

// Sending a review: checked, then in one transaction marked submitted, recorded as involvement
// (every submitted reviewer of the review, so the records match), confirmed by email and audited.
export function createSubmitService(db: Db, ctx: FeatureContext) {
  const shared = createReviewsRepository(db);
  const repo = createReviewingRepository(db);
  const { services, config, i18n } = ctx;

  // The involvement records of a review: one per submitted reviewer, dated the day (in the UK)
  // they submitted, with the time they gave or staff's estimate. The involvement feature comes
  // later in the list: its service is looked up when used.
  async function syncInvolvement(review: ReviewRow, tx: Tx) {
    const submitted = await repo.submitted(review.id, tx);
    await services.involvementRecords.syncSource(
      {
        source: 'review',
        sourceId: review.id,
        title: review.title,
        path: reviewPath(review.id),
        activityKind: review.activityKind,
        groupId: review.groupId,
        groupName: null,
        leadUserId: review.leadUserId,
        recordedBy: null,
        people: submitted.map((r) => ({
          userId: r.userId,
          occurredOn: todayInLondon(r.submittedAt ?? new Date()),
          minutes: r.minutesSpent ?? review.estimatedMinutes,
          role: 'reviewer',
        })),
      },
      tx,
    );
  }

  async function confirm(review: ReviewRow, reviewer: ReviewerRow, tx: Tx) {
    const person = await services.identity.findAccountById(reviewer.userId, tx);
    if (!person) return;
    const tr = i18n.translator(reviewer.language);
    const org = await services.settings.get();
    const cy = tr.lang === 'cy' ? '?lang=cy' : '';
    await services.mail.enqueue(
      {
        to: person.email,
        lang: tr.lang,
        subject: tr.t(`${E}.subject`, { title: review.title }),
        heading: tr.t(`${E}.heading`),
        paragraphs: [tr.t(`${E}.dear`, { name: person.name }), tr.t(`${E}.text`, { title: review.title }), tr.t(`${E}.claim`)],
        action: { text: tr.t(`${E}.action`), href: `${config.baseUrl}/profile/involvement${cy}` },
        footer: [tr.t(`${E}.footer`, { org: org.name })],
      },
      { key: `review-submitted-${reviewer.id}`, kind: 'review-submitted', tx },
    );
  }

  async function submit(o: Opened): Promise<SubmitOutcome> {
    const why = refusalFor(o);
    if (why) return { kind: 'refused', why };
    const [questions, answers, comments] = await Promise.all([
      shared.questions(o.review.id),
      repo.answers(o.reviewer.id),
      repo.comments(o.reviewer.id),
    ]);
    if (!answers.length && !comments.length) return { kind: 'empty' };
    const answered = new Set(answers.map((a) => a.questionId));
    const missing = questions.filter((q) => q.required && !answered.has(q.id));
    if (missing.length) return { kind: 'missing', questions: missing };
    return db.transaction(async (tx): Promise<SubmitOutcome> => {
      // Locked, so staff closing the review at the same moment either come first (refused) or after.
      const review = await repo.lockReview(o.review.id, tx);
      if (!review || review.state !== 'open') return { kind: 'refused', why: 'closed' };
      const at = new Date();
      if (!(await repo.markSubmitted(o.reviewer.id, at, tx))) return { kind: 'refused', why: 'submitted' };
      await syncInvolvement(review, tx);
      await confirm(review, o.reviewer, tx);
      await services.audit.record(
        { actorUserId: o.reviewer.userId, subjectUserId: o.reviewer.userId, action: 'review.submitted', details: { reviewId: review.id } },
        tx,
      );
      return { kind: 'submitted' };
    });
  }

  return { submit };
}
