import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { hoursText } from './invitations-emails.ts';
import type { InvitationLookup } from './invitations-service.ts';

const P = 'reviewInvitations';
type TokenParams = { Params: { token: string } };
type Answer = 'accept' | 'decline';
type Found = Exclude<InvitationLookup, { state: 'unknown' }>;
// Public forms that change something are limited (the token is hard to guess; this keeps it so).
const limited = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

// The links in an invitation email: /reviews/invitation/<token>/accept and …/decline. The token is
// the key, so they work signed out. GET only shows what will happen (mail scanners follow links);
// POST does it. An unknown token is a 404; a closed review a page that says so.
export default async function invitationRoutes(app: FastifyInstance) {
  const { reviewInvitations } = app.services;
  // Never kept by a shared cache or the back button: the address holds the key.
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });

  async function found(token: string): Promise<Found> {
    const f = await reviewInvitations.lookup(token);
    if (f.state === 'unknown') throw notFound('invitation');
    return f;
  }

  function render(
    reply: FastifyReply,
    f: Found,
    answer: Answer,
    token: string,
    extra: { values?: object; errors?: FieldErrors } = {},
    status = 200,
  ) {
    const { tr } = reply.request;
    const { review, reviewer } = f;
    // What the page says: the review has closed; or the reviewer's answer stands (they may change
    // it while the review is open, except once they have submitted); or the question is still open.
    const view =
      f.state === 'closed'
        ? 'closed'
        : reviewer.state === 'submitted'
          ? 'submitted'
          : (answer === 'accept' && reviewer.state === 'accepted') || (answer === 'decline' && reviewer.state === 'declined')
            ? `${answer}ed`
            : answer;
    return reply.render(
      'reviews/views/invitations/answer.njk',
      {
        pageTitle: msg(`${P}.${view}.title`, { title: review.title }),
        view,
        review,
        kindText: tr.t(`${P}.kinds.${review.kind}`),
        timeText: hoursText(tr, review.estimatedMinutes),
        base: `/reviews/invitation/${token}`,
        reviewPath: `/profile/reviews/${review.id}`,
        signedIn: Boolean(reply.request.currentUser),
        values: extra.values ?? {},
        errors: extra.errors ?? {},
        errorList: errorSummary(extra.errors ?? {}, ['reason']),
      },
      status === 200 && f.state === 'closed' ? 410 : status,
    );
  }

  for (const answer of ['accept', 'decline'] as const) {
    app.get<TokenParams>(`/reviews/invitation/:token/${answer}`, async (req, reply) =>
      render(reply, await found(req.params.token), answer, req.params.token),
    );
  }

  app.post<TokenParams>('/reviews/invitation/:token/accept', limited, async (req, reply) => {
    const f = await found(req.params.token);
    if (f.state === 'answerable') await reviewInvitations.accept(f, req.currentUser ?? null);
    return reply.redirect(`/reviews/invitation/${req.params.token}/accept`, 303);
  });

  app.post<TokenParams>('/reviews/invitation/:token/decline', limited, async (req, reply) => {
    const f = await found(req.params.token);
    if (f.state === 'answerable') {
      const form = trimmed(req.body);
      const result = await reviewInvitations.decline(f, req.currentUser ?? null, form);
      if (!result.ok) return render(reply, f, 'decline', req.params.token, { values: form, errors: result.errors }, 400);
    }
    return reply.redirect(`/reviews/invitation/${req.params.token}/decline`, 303);
  });
}
