import type { Db } from '#src/db/client.ts';
import { validateForm } from '#src/lib/forms.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { accessTo } from './access.ts';
import { exportReviewsOf } from './reviewing-data.ts';
import { createReviewingRepository, type AnswerValue } from './reviewing-repository.ts';
import { CommentSchema, DeclineSchema, answersSchema, fieldName, type AnswersForm } from './reviewing-schema.ts';
import { createRequestsService } from './reviewing-requests.ts';
import { createSubmitService } from './reviewing-submit.ts';
import { refusalFor, type Opened, type SaveOutcome } from './reviewing-state.ts';
import { createReviewsRepository, type SectionRow } from './reviews-repository.ts';

// The reviewer's side of a review (README "Document reviews"): their list, reading section by
// section, comments and answers saved as they go, accepting or declining when signed in.
export function createReviewingService(db: Db, ctx: FeatureContext) {
  const shared = createReviewsRepository(db);
  const repo = createReviewingRepository(db);

  // A review this person may open, or null: drafts, other people's reviews, a declined invitation
  // and reviews they were never invited to are all "not found".
  async function open(user: CurrentUser, reviewId: number): Promise<Opened | null> {
    const review = await shared.byId(reviewId);
    if (!review || review.state === 'draft') return null;
    const reviewer = await shared.reviewerFor(review.id, user.id);
    const access = accessTo(user, reviewer);
    if (access !== 'reviewer' && access !== 'invited') return null;
    return { review, reviewer: reviewer!, access };
  }

  async function contents(o: Opened) {
    const [sections, comments] = await Promise.all([shared.sections(o.review.id), repo.comments(o.reviewer.id)]);
    const commented = new Set(comments.map((c) => c.sectionId));
    return sections.map((s) => ({ ...s, commented: commented.has(s.id) }));
  }

  // A section of this review (a section id from another review is not found) with the reviewer's
  // comment and the section after it.
  async function section(o: Opened, sectionId: number) {
    const sections = await shared.sections(o.review.id);
    const at = sections.findIndex((s) => s.id === sectionId);
    if (at < 0) return null;
    const comment = (await repo.comments(o.reviewer.id)).find((c) => c.sectionId === sectionId) ?? null;
    return { section: sections[at]!, next: sections[at + 1] ?? null, position: at + 1, total: sections.length, comment };
  }

  // Saves (or, left empty, removes) the comment; tells the route which section comes next.
  async function saveComment(
    o: Opened,
    sectionId: number,
    form: unknown,
  ): Promise<SaveOutcome<{ next: SectionRow | null; action: string }> | null> {
    const found = await section(o, sectionId);
    if (!found) return null;
    const why = refusalFor(o);
    if (why) return { kind: 'refused', why };
    const v = validateForm(CommentSchema, form);
    if (!v.ok) return { kind: 'invalid', errors: v.errors };
    await db.transaction(async (tx) => {
      if (v.value.comment)
        await repo.putComment({ reviewId: o.review.id, sectionId, reviewerId: o.reviewer.id, body: v.value.comment }, tx);
      else await repo.removeComment(o.reviewer.id, sectionId, tx);
      await shared.updateReviewer(o.reviewer.id, { lastSavedAt: new Date() }, tx);
    });
    return { kind: 'saved', value: { next: found.next, action: v.value.action } };
  }

  // The questions form as last saved: answers, hours and whether they may be named.
  async function answerValues(o: Opened): Promise<Record<string, unknown>> {
    const [questions, answers] = await Promise.all([shared.questions(o.review.id), repo.answers(o.reviewer.id)]);
    const values: Record<string, unknown> = {
      hours: o.reviewer.minutesSpent === null ? '' : String(Math.round((o.reviewer.minutesSpent / 60) * 100) / 100),
      nameInSummary: o.reviewer.nameInSummary ? 'yes' : 'no',
    };
    for (const q of questions) {
      const a = answers.find((x) => x.questionId === q.id);
      values[fieldName(q)] = q.kind === 'multiple-choice' ? (a?.values ?? []) : (a?.text ?? a?.values[0] ?? '');
    }
    return values;
  }

  async function saveAnswers(o: Opened, form: unknown): Promise<SaveOutcome> {
    const why = refusalFor(o);
    if (why) return { kind: 'refused', why };
    const questions = await shared.questions(o.review.id);
    const v = validateForm(answersSchema(questions), form);
    if (!v.ok) return { kind: 'invalid', errors: v.errors };
    const value = v.value as AnswersForm;
    const answers = new Map<number, AnswerValue | null>(questions.map((q) => [q.id, value[fieldName(q)] ?? null]));
    await db.transaction(async (tx) => {
      await repo.putAnswers(o.reviewer.id, answers, tx);
      await shared.updateReviewer(
        o.reviewer.id,
        { minutesSpent: value.hours, nameInSummary: value.nameInSummary, lastSavedAt: new Date() },
        tx,
      );
    });
    return { kind: 'saved', value: undefined };
  }

  // Accepting or declining while signed in (the emailed link does the same signed out).
  async function respond(o: Opened, decision: 'accepted' | 'declined', form: unknown = {}): Promise<SaveOutcome> {
    if (o.reviewer.state !== 'invited') return { kind: 'refused', why: o.reviewer.state === 'submitted' ? 'submitted' : 'not-accepted' };
    if (o.review.state !== 'open') return { kind: 'refused', why: 'closed' };
    const v = validateForm(DeclineSchema, form);
    if (!v.ok) return { kind: 'invalid', errors: v.errors };
    await shared.updateReviewer(o.reviewer.id, {
      state: decision,
      respondedAt: new Date(),
      declineReason: decision === 'declined' ? v.value.reason : null,
    });
    return { kind: 'saved', value: undefined };
  }

  return {
    open,
    contents,
    section,
    saveComment,
    answerValues,
    saveAnswers,
    accept: (o: Opened) => respond(o, 'accepted'),
    decline: (o: Opened, form: unknown) => respond(o, 'declined', form),
    questions: (reviewId: number) => shared.questions(reviewId),
    comments: (reviewerId: number) => repo.comments(reviewerId),
    answers: (reviewerId: number) => repo.answers(reviewerId),
    sections: (reviewId: number) => shared.sections(reviewId),

    // Every review this person was invited to, with how many sections they have commented on.
    async forPerson(userId: string) {
      const rows = await repo.mine(userId);
      const counts = await repo.commentCounts(rows.map((r) => r.reviewer.id));
      return rows.map((r) => ({ ...r, commented: counts.get(r.reviewer.id) ?? 0 }));
    },

    exportFor: (userId: string) => exportReviewsOf(repo, userId),
    ...createSubmitService(db, ctx),
    ...createRequestsService(db, ctx),
  };
}
export type ReviewingService = ReturnType<typeof createReviewingService>;
