import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';

const V = 'opportunities/views/selection';
type Answer = 'accept' | 'decline';
type WithToken = { Params: { token: string; answer: string } };
const answerOf = (v: string): Answer => {
  if (v !== 'accept' && v !== 'decline') throw notFound('page');
  return v;
};

// The links in a waitlist offer email: no sign-in, the signed link is the key. Opening the link only
// shows the question (email scanners open links too); the button answers it.
export default async function offerRoutes(app: FastifyInstance) {
  const { selection } = app.services;

  app.get<WithToken>('/opportunity-offers/:token/:answer', async (req, reply) => {
    const answer = answerOf(req.params.answer);
    const offer = await selection.offerFor(req.params.token);
    if (offer.state === 'invalid') {
      return reply.render(`${V}/offer.njk`, { pageTitle: msg('selection.offer.page.invalidTitle'), state: 'invalid' }, 404);
    }
    const { title } = localised({ title: offer.title, translations: offer.translations }, ['title'] as const, req.tr.lang);
    return reply.render(`${V}/offer.njk`, {
      pageTitle: msg(`selection.offer.page.${offer.state === 'open' ? answer : offer.state}Title`, { title }),
      state: offer.state,
      answer,
      title,
      slug: offer.slug,
      expiresAt: offer.application.offerExpiresAt,
      action: `/opportunity-offers/${encodeURIComponent(req.params.token)}/${answer}`,
      otherHref: `/opportunity-offers/${encodeURIComponent(req.params.token)}/${answer === 'accept' ? 'decline' : 'accept'}`,
    });
  });

  app.post<WithToken>(
    '/opportunity-offers/:token/:answer',
    { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const answer = answerOf(req.params.answer);
      await selection.answerOffer(req.params.token, answer);
      // Whatever happened (answered now, already answered, expired), the page says where things stand.
      return reply.redirect(`/opportunity-offers/${encodeURIComponent(req.params.token)}/${answer}`, 303);
    },
  );
}
