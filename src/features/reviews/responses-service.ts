import type { Db } from '#src/db/client.ts';
import { ok, validateForm, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createResponsesRepository, type CollatedComment } from './responses-repository.ts';
import { createReviewSaidDid } from './responses-said-did.ts';
import { ResponseSchema, SummarySchema } from './responses-schema.ts';
import { createResponseEmails, responseSent, reviewersAwaitingResponse } from './responses-sending.ts';
import { createReviewsRepository, type ReviewerRow } from './reviews-repository.ts';
import { responseOutcomes, type reviews } from './tables.ts';

export type ResponseOutcome = (typeof responseOutcomes)[number];
export type PublishedSummary = { id: number; title: string; kind: (typeof reviews.$inferSelect)['kind']; publishedAt: Date; path: string };
export type NamedReviewer = ReviewerRow & { name: string };

export const summaryPath = (reviewId: number) => `/reviews/${reviewId}/summary`;

// Collating, answering each comment ("you said, we did"), telling reviewers, and the public summary.
export function createResponsesService(db: Db, ctx: FeatureContext) {
  const repo = createResponsesRepository(db);
  const reviewsRepo = createReviewsRepository(db);
  const emails = createResponseEmails(ctx);
  const { audit } = ctx.services;

  async function namedReviewers(reviewId: number): Promise<NamedReviewer[]> {
    const rows = await reviewsRepo.reviewers(reviewId);
    const people = await ctx.services.identity.accountsByIds(rows.map((r) => r.userId));
    return rows.map((r) => ({ ...r, name: people.get(r.userId)?.name ?? '' }));
  }

  return {
    // Everything staff collate: the document's sections and questions, the reviewers, and the
    // comments and answers of those who submitted (and comments kept after an account was deleted).
    async collation(reviewId: number) {
      const review = await reviewsRepo.byId(reviewId);
      if (!review) return null;
      const [sections, questions, reviewers, comments, answers] = await Promise.all([
        reviewsRepo.sections(reviewId),
        reviewsRepo.questions(reviewId),
        namedReviewers(reviewId),
        repo.commentsOf(reviewId),
        repo.answersOf(reviewId),
      ]);
      return { review, sections, questions, reviewers, comments, answers };
    },

    // Staff looked at (or printed, or exported) people's comments: the audit trail says who and when.
    async recordLook(staff: CurrentUser, reviewId: number, action: 'review.collated-viewed' | 'review.exported', view: string) {
      await audit.record({ actorUserId: staff.id, action, details: { reviewId, view } });
    },

    // null: no such comment on this review (or one of someone still working), and nothing changed.
    // Saving the same words again changes nothing, so the reviewer is not told twice.
    async respond(staff: CurrentUser, reviewId: number, commentId: number, form: unknown): Promise<Result | null> {
      const comment = await repo.commentIn(reviewId, commentId);
      if (!comment) return null;
      const v = validateForm(ResponseSchema, form);
      if (!v.ok) return v;
      const was = comment.response;
      if (was && was.outcome === v.value.outcome && was.reason === v.value.reason) return ok();
      await repo.saveResponse({ commentId, ...v.value, respondedBy: staff.id, respondedAt: new Date() });
      return ok();
    },

    // One email to each reviewer with responses they have not been told of; null: no such review.
    async sendResponses(staff: CurrentUser, reviewId: number): Promise<number | null> {
      const review = await reviewsRepo.byId(reviewId);
      if (!review) return null;
      // Names and addresses first: on PGlite a read outside the transaction would wait for it.
      const people = await ctx.services.identity.accountsByIds((await reviewsRepo.reviewers(reviewId)).map((r) => r.userId));
      return db.transaction(async (tx) => {
        // One after the other: a transaction is one connection, which runs one query at a time (pg
        // queues a second, and pg 9 will refuse it).
        const reviewers = await reviewsRepo.reviewers(reviewId, tx);
        const comments = await repo.commentsOf(reviewId, tx);
        const now = new Date();
        let sent = 0;
        for (const { reviewer, latest } of reviewersAwaitingResponse(reviewers, comments)) {
          const person = people.get(reviewer.userId);
          // Invited this very moment: told at the next sending.
          if (!person) continue;
          await emails.send(tx, review, reviewer, person, latest);
          await reviewsRepo.updateReviewer(reviewer.id, { responseSentAt: now }, tx);
          sent++;
        }
        if (sent)
          await audit.record({ actorUserId: staff.id, action: 'review.responses-sent', details: { reviewId, reviewers: sent } }, tx);
        return sent;
      });
    },

    // Publishing again changes the words but keeps the date it was first published.
    async publishSummary(staff: CurrentUser, reviewId: number, form: unknown): Promise<Result | null> {
      const review = await reviewsRepo.byId(reviewId);
      if (!review) return null;
      const v = validateForm(SummarySchema, form);
      if (!v.ok) return v;
      await db.transaction(async (tx) => {
        await reviewsRepo.updateReview(
          reviewId,
          {
            summaryMarkdown: v.value.summary,
            summaryHtml: renderMarkdown(v.value.summary),
            summaryPublishedAt: review.summaryPublishedAt ?? new Date(),
          },
          tx,
        );
        await audit.record(
          { actorUserId: staff.id, action: 'review.summary-published', details: { reviewId, first: !review.summaryPublishedAt } },
          tx,
        );
      });
      return ok();
    },

    // For the public page: never the document, never a comment's words, and only the names of
    // reviewers who said they may be named. null until published.
    async publicSummary(reviewId: number) {
      const review = await reviewsRepo.byId(reviewId);
      if (!review?.summaryPublishedAt) return null;
      const [reviewers, comments] = await Promise.all([namedReviewers(reviewId), repo.commentsOf(reviewId)]);
      const submitted = reviewers.filter((r) => r.state === 'submitted');
      const named = submitted.filter((r) => r.nameInSummary && r.name).map((r) => r.name);
      return {
        review: {
          id: review.id,
          title: review.title,
          kind: review.kind,
          summaryHtml: review.summaryHtml ?? '',
          publishedAt: review.summaryPublishedAt,
        },
        reviewerCount: submitted.length,
        commentCount: comments.length,
        outcomes: outcomeCounts(comments),
        named,
        others: submitted.length - named.length,
      };
    },

    async publishedSummaries(): Promise<PublishedSummary[]> {
      return (await repo.publishedSummaries()).map((r) => ({ ...r, publishedAt: r.publishedAt!, path: summaryPath(r.id) }));
    },

    // A reviewer's own comments with the responses they have been sent; null unless this person
    // reviewed this review and submitted.
    async responseFor(user: CurrentUser, reviewId: number) {
      const reviewer = await reviewsRepo.reviewerFor(reviewId, user.id);
      if (reviewer?.state !== 'submitted') return null;
      const review = await reviewsRepo.byId(reviewId);
      if (!review) return null;
      const comments = await repo.commentsOfReviewer(reviewer.id);
      return {
        review,
        comments: comments.map((c) => ({ ...c, response: responseSent(c.response, reviewer) ? c.response : null })),
        summary: review.summaryPublishedAt ? { html: review.summaryHtml ?? '', path: summaryPath(review.id) } : null,
      };
    },

    unansweredCount: () => repo.unansweredCount(),
    // Starting a "you said, we did" entry from a published summary (accountability feature).
    ...createReviewSaidDid(db),
  };
}
export type ResponsesService = ReturnType<typeof createResponsesService>;
export type Collation = NonNullable<Awaited<ReturnType<ResponsesService['collation']>>>;

// How many comments had each outcome, and how many are still to be answered.
export function outcomeCounts(comments: CollatedComment[]) {
  const counts = Object.fromEntries([...responseOutcomes, 'unanswered'].map((o) => [o, 0])) as Record<
    ResponseOutcome | 'unanswered',
    number
  >;
  for (const c of comments) counts[c.response?.outcome ?? 'unanswered']++;
  return counts;
}
