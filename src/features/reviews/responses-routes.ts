import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';

// A reviewer reads what we did with each of their comments, once it has been sent to them. Anyone
// who did not review this review and submit is answered 404, as if it did not exist.
export default async function responsesRoutes(app: FastifyInstance) {
  const { reviewResponses: responses } = app.services;
  app.addHook('onRequest', requireContributor);

  app.get<{ Params: { id: string } }>('/profile/reviews/:id/response', async (req, reply) => {
    const found = await responses.responseFor(req.currentUser!, idOrNotFound(req.params.id, 'review'));
    if (!found) throw notFound('review');
    return reply.render('reviews/views/responses/response.njk', {
      pageTitle: msg('reviewResponses.response.title'),
      review: found.review,
      comments: found.comments.map((c) => ({
        ...c,
        outcomeText: c.response ? req.tr.t(`reviewResponses.outcomes.${c.response.outcome}`) : '',
      })),
      summary: found.summary,
    });
  });
}
