import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createCommissionRepository } from './commission-repository.ts';
import { MoveSchema, QuestionSchema } from './commission-schema.ts';
import type { ReviewRow } from './reviews-repository.ts';

const V = 'reviewCommission.admin.validation';
export const RATING_POINTS = [1, 2, 3, 4, 5] as const;

// The questions reviewers answer: added, moved and removed from the review's staff page. A
// question can be removed only while the review is a draft (once it is open, reviewers' answers
// may depend on it); one can be added, or the order changed, until the review closes.
export function createCommissionQuestions(db: Db, ctx: FeatureContext) {
  const repo = createCommissionRepository(db);
  const { audit } = ctx.services;
  const en = () => ctx.i18n.translator('en');
  const closed = (review: ReviewRow) => (review.state === 'closed' ? invalid({ questions: msg(`${V}.closed`) }) : null);

  // The five labels of a rating when staff give none: "Very poor" to "Very good" (stored in
  // English, like the rest of the review's content).
  const defaultRatingLabels = () => RATING_POINTS.map((n) => en().t(`reviewCommission.admin.questions.rating.${n}`));

  const record = (tx: Tx, staff: CurrentUser, review: ReviewRow, change: string, question: number) =>
    audit.record(
      {
        actorUserId: staff.id,
        action: 'review.changed',
        details: { reviewId: review.id, title: review.title, questions: change, question },
      },
      tx,
    );

  return {
    defaultRatingLabels,

    async add(staff: CurrentUser, review: ReviewRow, form: unknown): Promise<Result> {
      const refused = closed(review);
      if (refused) return refused;
      const v = validateForm(QuestionSchema, form);
      if (!v.ok) return v;
      const options = v.value.kind === 'rating' && !v.value.options.length ? defaultRatingLabels() : v.value.options;
      await db.transaction(async (tx) => {
        const q = await repo.addQuestion(
          review.id,
          { kind: v.value.kind, label: v.value.label, hint: v.value.hint, options, required: v.value.required },
          tx,
        );
        await record(tx, staff, review, 'added', q.id);
      });
      return ok();
    },

    async remove(staff: CurrentUser, review: ReviewRow, id: number): Promise<Result<'removed' | 'gone'>> {
      const refused = closed(review);
      if (refused) return refused;
      if (review.state !== 'draft') return invalid({ questions: msg(`${V}.questionsLocked`) });
      return ok(
        await db.transaction(async (tx) => {
          if (!(await repo.question(review.id, id, tx))) return 'gone' as const;
          await repo.removeQuestion(id, tx);
          await record(tx, staff, review, 'removed', id);
          return 'removed' as const;
        }),
      );
    },

    async move(staff: CurrentUser, review: ReviewRow, id: number, form: unknown): Promise<Result<'moved' | 'gone'>> {
      const refused = closed(review);
      if (refused) return refused;
      const v = validateForm(MoveSchema, form);
      if (!v.ok) return invalid({ questions: v.errors.direction ?? msg(`${V}.direction`) });
      return ok(
        await db.transaction(async (tx) => {
          const q = await repo.question(review.id, id, tx);
          if (!q) return 'gone' as const;
          if (await repo.moveQuestion(q, v.value.direction, tx)) await record(tx, staff, review, `moved-${v.value.direction}`, id);
          return 'moved' as const;
        }),
      );
    },
  };
}
