import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { collationCsv } from './collate-csv.ts';
import { presentCollation } from './collate-view.ts';
import { summaryPath, type Collation } from './responses-service.ts';
import { REASON_MAX } from './responses-schema.ts';
import { responseOutcomes } from './tables.ts';

type IdParams = { Params: { id: string } };
type Query = Record<string, unknown>;
const V = 'reviews/views/responses';
const P = 'reviewResponses.admin.collate';

// What was typed into one comment's response form, to show again beside its errors.
type Attempt = { commentId: number; values: Record<string, unknown>; errors: FieldErrors };
type SummaryAttempt = { values: Record<string, unknown>; errors: FieldErrors };

// Staff collate a review's comments and answers (by section or by reviewer), export them, answer
// each comment, send the answers to reviewers and publish the public summary. Every look at
// people's comments is in the audit trail.
export default async function collateRoutes(app: FastifyInstance) {
  const { reviewResponses: responses } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  async function load(raw: string): Promise<Collation> {
    const c = await responses.collation(idOrNotFound(raw, 'review'));
    if (!c) throw notFound('review');
    return c;
  }

  function outcomeItems(req: FastifyRequest, chosen: unknown) {
    return responseOutcomes.map((o) => ({ value: o, text: req.tr.t(`reviewResponses.outcomes.${o}`), checked: chosen === o }));
  }

  async function renderCollate(
    req: FastifyRequest,
    reply: FastifyReply,
    c: Collation,
    attempt: { response?: Attempt; summary?: SummaryAttempt } = {},
    status = 200,
  ) {
    const q = (req.query ?? {}) as Query;
    const by = q.by === 'reviewer' ? 'reviewer' : 'section';
    const presented = presentCollation(c, req.tr);
    const bySection = presented.bySection.map((s) => ({
      ...s,
      comments: s.comments.map((x) => {
        const tried = attempt.response?.commentId === x.id ? attempt.response : null;
        const values = tried?.values ?? { outcome: x.response?.outcome, reason: x.response?.reason ?? '' };
        return { ...x, values, errors: tried?.errors ?? {}, outcomeItems: outcomeItems(req, values.outcome) };
      }),
    }));
    const errors = attempt.response?.errors ?? attempt.summary?.errors ?? {};
    const prefix = attempt.response ? `-${attempt.response.commentId}` : '';
    const sent = typeof q.sent === 'string' && /^\d{1,6}$/.test(q.sent) ? Number(q.sent) : null;
    return reply.render(
      `${V}/collate.njk`,
      {
        pageTitle: msg(`${P}.title`),
        review: c.review,
        by,
        ...presented,
        bySection,
        summaryValues: attempt.summary?.values ?? { summary: c.review.summaryMarkdown ?? '' },
        summaryPath: summaryPath(c.review.id),
        reasonMax: REASON_MAX,
        errors: attempt.summary?.errors ?? {},
        errorList: errorSummary(errors, ['outcome', 'reason', 'summary']).map((e) => ({ ...e, href: `${e.href}${prefix}` })),
        saved: q.saved === 'response' || q.saved === 'summary' ? q.saved : null,
        sent,
        // Once the summary is published: record it in "you said, we did" (accountability feature).
        saidDidAction: c.review.summaryPublishedAt ? await app.services.saidDid.actionFor('review', c.review.id) : null,
      },
      status,
    );
  }

  app.get<IdParams>('/admin/reviews/:id/collate', async (req, reply) => {
    const c = await load(req.params.id);
    await responses.recordLook(
      me(req),
      c.review.id,
      'review.collated-viewed',
      (req.query as Query).by === 'reviewer' ? 'reviewer' : 'section',
    );
    return renderCollate(req, reply, c);
  });

  app.get<IdParams>('/admin/reviews/:id/collate/print', async (req, reply) => {
    const c = await load(req.params.id);
    await responses.recordLook(me(req), c.review.id, 'review.collated-viewed', 'print');
    return reply.render(`${V}/print.njk`, {
      pageTitle: msg('reviewResponses.admin.print.title'),
      review: c.review,
      ...presentCollation(c, req.tr),
      orgName: (reply.locals.org as { name: string }).name,
      today: new Date(),
    });
  });

  app.get<IdParams>('/admin/reviews/:id/collate.csv', async (req, reply) => {
    const c = await load(req.params.id);
    await responses.recordLook(me(req), c.review.id, 'review.exported', 'csv');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="review-${c.review.id}-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'private, no-store')
      .send(collationCsv(c, req.tr));
  });

  app.post<{ Params: { id: string; commentId: string } }>('/admin/reviews/:id/comments/:commentId/response', async (req, reply) => {
    const reviewId = idOrNotFound(req.params.id, 'review');
    const commentId = idOrNotFound(req.params.commentId, 'comment');
    const form = trimmed(req.body);
    const result = await responses.respond(me(req), reviewId, commentId, form);
    if (result === null) throw notFound('comment');
    if (!result.ok)
      return renderCollate(req, reply, await load(req.params.id), { response: { commentId, values: form, errors: result.errors } }, 400);
    return reply.redirect(`/admin/reviews/${reviewId}/collate?saved=response#comment-${commentId}`, 303);
  });

  app.post<IdParams>('/admin/reviews/:id/send-responses', async (req, reply) => {
    const reviewId = idOrNotFound(req.params.id, 'review');
    const sent = await responses.sendResponses(me(req), reviewId);
    if (sent === null) throw notFound('review');
    return reply.redirect(`/admin/reviews/${reviewId}/collate?sent=${sent}`, 303);
  });

  app.post<IdParams>('/admin/reviews/:id/summary', async (req, reply) => {
    const reviewId = idOrNotFound(req.params.id, 'review');
    const form = trimmed(req.body);
    const result = await responses.publishSummary(me(req), reviewId, form);
    if (result === null) throw notFound('review');
    if (!result.ok) return renderCollate(req, reply, await load(req.params.id), { summary: { values: form, errors: result.errors } }, 400);
    return reply.redirect(`/admin/reviews/${reviewId}/collate?saved=summary#summary`, 303);
  });
}
