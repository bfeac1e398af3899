import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import { assessmentPath } from './assessing-emails.ts';
import { presentRound, savedValues } from './assessing-presenting.ts';
import type { Opened } from './assessing-service.ts';

const V = 'accountability/views/assessing';
type SlugParams = { Params: { roundSlug: string }; Querystring: { saved?: string } };
const notices: Record<string, string> = { saved: 'assessing.round.savedNotice', sent: 'assessing.round.sentNotice' };

// A contributor's side of co-assessing (README "Involvement standards"): the rounds they were
// invited to, and a round's page where they rate and comment on each standard and send their view.
// A round they were not invited to is "not found", as if it did not exist.
export default async function assessingRoutes(app: FastifyInstance) {
  const { assessing } = app.services;
  app.addHook('onRequest', requireContributor);

  async function openedOr404(req: FastifyRequest<{ Params: { roundSlug: string } }>): Promise<Opened> {
    const o = await assessing.open(req.currentUser!, req.params.roundSlug.slice(0, 200));
    if (!o) throw notFound('assessment');
    return o;
  }

  async function renderRound(
    req: FastifyRequest,
    reply: FastifyReply,
    o: Opened,
    opts: { values?: Record<string, unknown>; errors?: FieldErrors; notice?: string } = {},
    status = 200,
  ) {
    const page = await presentRound(app.featureContext, req.tr, o, opts.values ?? savedValues(o));
    return reply.render(
      `${V}/round.njk`,
      {
        pageTitle: page.round.title,
        ...page,
        action: assessmentPath(o.round.slug),
        notice: opts.notice,
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors) : [],
      },
      status,
    );
  }

  app.get('/profile/assessments', async (req, reply) => {
    const rows = await assessing.mine(req.currentUser!.id);
    return reply.render(`${V}/mine.njk`, {
      pageTitle: msg('assessing.mine.title'),
      rounds: rows.map((r) => ({
        title: localised(r.round, ['title'], req.lang).title,
        href: assessmentPath(r.round.slug),
        state: r.state,
        closeOn: r.round.contributorsCloseOn,
      })),
    });
  });

  app.get<SlugParams>('/profile/assessments/:roundSlug', async (req, reply) => {
    const o = await openedOr404(req);
    return renderRound(req, reply, o, { notice: notices[req.query.saved ?? ''] });
  });

  app.post<SlugParams>('/profile/assessments/:roundSlug', async (req, reply) => {
    const o = await openedOr404(req);
    const form = trimmed(req.body);
    const result = await assessing.save(o, form, form.action === 'send');
    if ('refused' in result) return renderRound(req, reply, o, { notice: `assessing.round.refused.${result.refused}` }, 409);
    if (!result.ok) return renderRound(req, reply, o, { values: form, errors: result.errors }, 400);
    return reply.redirect(`${assessmentPath(o.round.slug)}?saved=${result.value}`, 303);
  });
}
