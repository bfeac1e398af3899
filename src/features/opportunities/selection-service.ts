import type { z } from 'zod';
import type { Db, Tx } from '#src/db/client.ts';
import { ok, validateForm, type Result } from '#src/lib/forms.ts';
import { notFound } from '#src/lib/errors.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createSelectionRepository } from './selection-repository.ts';
import { DecisionSchema, FeedbackSchema, ReviewSchema, filterOf, type ApplicationsQuery } from './selection-schema.ts';
import { createOutcomes } from './selection-outcomes.ts';
import { createFairSelection } from './selection-fairness.ts';
import { createOffers } from './selection-offers.ts';
import { createRoster } from './roster.ts';

export const APPLICATIONS_PER_PAGE = 50;

// Staff selecting among the applications to an opportunity: the list, one application with its
// answers, each reviewer's score and notes, and the decision. Every look at applications is on the
// audit trail, as a look at a person's record is; so is every decision and review.
export function createSelectionService(db: Db, ctx: FeatureContext) {
  const repo = createSelectionRepository(db);
  const { audit } = ctx.services;

  async function opportunityOrNotFound(id: number) {
    const opportunity = await repo.opportunity(id);
    if (!opportunity || opportunity.status === 'draft') throw notFound('opportunity');
    return opportunity;
  }

  async function applicationOrNotFound(opportunityId: number, applicationId: number) {
    const found = await repo.application(opportunityId, applicationId);
    if (!found) throw notFound('application');
    return found;
  }

  // With blind scoring a reviewer sees the others' scores and notes only once they have scored.
  const blindTo = (opportunity: { blindScoring: boolean }, scored: boolean) => opportunity.blindScoring && !scored;

  type Found = Awaited<ReturnType<typeof applicationOrNotFound>>;
  // A form on an application's page: checked, saved and audited (with what `save` reports) together.
  const change =
    <S extends z.ZodType>(
      schema: S,
      action: string,
      save: (value: z.infer<S>, found: Found, actor: CurrentUser, tx: Tx) => Promise<Record<string, unknown>>,
    ) =>
    async (actor: CurrentUser, opportunityId: number, applicationId: number, form: unknown): Promise<Result> => {
      await opportunityOrNotFound(opportunityId);
      const found = await applicationOrNotFound(opportunityId, applicationId);
      const v = validateForm(schema, form);
      if (!v.ok) return v;
      await db.transaction(async (tx) => {
        const details = await save(v.value, found, actor, tx);
        await audit.record(
          {
            actorUserId: actor.id,
            subjectUserId: found.application.userId,
            action,
            details: { opportunity: opportunityId, application: applicationId, ...details },
          },
          tx,
        );
      });
      return ok();
    };

  return {
    opportunity: opportunityOrNotFound,

    async list(actor: CurrentUser, opportunityId: number, q: ApplicationsQuery) {
      const opportunity = await opportunityOrNotFound(opportunityId);
      const page = q.page ?? 1;
      const [found, counts, waiting] = await Promise.all([
        repo.page(opportunityId, filterOf(q), actor.id, (page - 1) * APPLICATIONS_PER_PAGE, APPLICATIONS_PER_PAGE),
        repo.counts(opportunityId),
        repo.waitingForOfferCount(opportunityId),
      ]);
      await audit.record({
        actorUserId: actor.id,
        action: 'application.list-viewed-by-staff',
        details: { opportunity: opportunityId, shown: found.rows.length },
      });
      return {
        opportunity,
        total: found.total,
        pages: Math.max(1, Math.ceil(found.total / APPLICATIONS_PER_PAGE)),
        items: found.rows.map((r) => ({
          ...r,
          meanScore: blindTo(opportunity, r.scored) || r.meanScore === null ? null : Number(r.meanScore).toFixed(1),
        })),
        counts: summarise(counts),
        waitingForOffer: waiting,
      };
    },

    // One application with the answers to each question; recorded as a look at the applicant.
    async application(actor: CurrentUser, opportunityId: number, applicationId: number) {
      const opportunity = await opportunityOrNotFound(opportunityId);
      const found = await applicationOrNotFound(opportunityId, applicationId);
      const [questions, answers, reviews] = await Promise.all([
        repo.questions(opportunityId),
        repo.answers(applicationId),
        repo.reviews(applicationId),
      ]);
      await audit.record({
        actorUserId: actor.id,
        subjectUserId: found.application.userId,
        action: 'application.viewed-by-staff',
        details: { opportunity: opportunityId, application: applicationId },
      });
      const mine = reviews.find((r) => r.reviewerId === actor.id) ?? null;
      const blind = blindTo(opportunity, mine?.score != null);
      const byQuestion = new Map(answers.map((a) => [a.questionId, a.value]));
      return {
        opportunity,
        ...found,
        answers: questions.map((q) => ({ question: q, value: [byQuestion.get(q.id) ?? []].flat().join(', ') })),
        mine,
        others: blind ? [] : reviews.filter((r) => r.reviewerId !== actor.id),
        hiddenReviews: blind ? reviews.filter((r) => r.reviewerId !== actor.id).length : 0,
      };
    },

    decide: change(DecisionSchema, 'application.decision-made', async (v, found, actor, tx) => {
      await repo.setSelection(found.application.id, v.selection, tx);
      return { from: found.application.selection, to: v.selection };
    }),

    review: change(ReviewSchema, 'application.reviewed', async (v, found, actor, tx) => {
      await repo.saveReview({ applicationId: found.application.id, reviewerId: actor.id, ...v }, tx);
      return { score: v.score ?? '' };
    }),

    saveFeedback: change(FeedbackSchema, 'application.feedback-written', async (v, found, actor, tx) => {
      await repo.setFeedback(found.application.id, v.feedback, tx);
      return {};
    }),

    ...createOutcomes(db, ctx, repo, opportunityOrNotFound),
    ...createFairSelection(ctx, repo, opportunityOrNotFound),
    ...createOffers(db, ctx, repo, opportunityOrNotFound),
    ...createRoster(db, ctx, opportunityOrNotFound),
  };
}

export type SelectionService = ReturnType<typeof createSelectionService>;

// Counts for the list's heading and filters: how many in each decision, withdrawn, and not yet told.
function summarise(rows: { selection: string; state: string; n: number; untold: number }[]) {
  const bySelection: Record<string, number> = {};
  let submitted = 0;
  let withdrawn = 0;
  let untold = 0;
  for (const r of rows) {
    if (r.state === 'withdrawn') {
      withdrawn += r.n;
      continue;
    }
    submitted += r.n;
    untold += r.untold;
    bySelection[r.selection] = (bySelection[r.selection] ?? 0) + r.n;
  }
  return { bySelection, submitted, withdrawn, untold };
}
