import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { summarySentences } from './summary-words.ts';

const V = 'reviews/views/responses';

// "You said, we did", in public: the list of published summaries, and each summary with the
// number of reviewers, what happened to their comments and the names of those who agreed to be
// named. Never the document, never a comment's words. A summary not yet published is not there.
export default async function summaryRoutes(app: FastifyInstance) {
  const { reviewResponses: responses } = app.services;

  app.get('/reviews/you-said-we-did', async (req, reply) =>
    reply.render(`${V}/summaries.njk`, {
      pageTitle: msg('reviewResponses.summaries.title'),
      summaries: (await responses.publishedSummaries()).map((s) => ({ ...s, kindText: req.tr.t(`reviewResponses.kinds.${s.kind}`) })),
    }),
  );

  app.get<{ Params: { id: string } }>('/reviews/:id/summary', async (req, reply) => {
    const summary = await responses.publicSummary(idOrNotFound(req.params.id, 'review'));
    if (!summary) throw notFound('review');
    return reply.render(`${V}/summary.njk`, {
      pageTitle: msg('reviewResponses.summary.title', { title: summary.review.title }),
      review: summary.review,
      kindText: req.tr.t(`reviewResponses.kinds.${summary.review.kind}`),
      ...summarySentences(summary, req.tr),
    });
  });
}
