import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { regionKey } from '#src/features/profile/schema.ts';
import type { Opportunity } from './matching.ts';
import { SUGGESTIONS_SHOWN } from './match-service.ts';

const V = 'opportunities/views/matches';
const K = 'opportunity-matches.admin.suggestions';
type IdParams = { Params: { id: string } };

// Suggested people for an opportunity and inviting them: involvement staff and admins only.
export default async function matchAdminRoutes(app: FastifyInstance) {
  const { opportunities, opportunityMatches: matches } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  async function find(raw: string): Promise<Opportunity> {
    const id = parseId(raw);
    const found = id ? await opportunities.byId(id) : null;
    if (!found) throw notFound('opportunity');
    return found;
  }

  async function render(reply: FastifyReply, o: Opportunity, opts: { errors?: FieldErrors; invited?: number; chosen?: string[] } = {}) {
    const { t } = reply.request.tr;
    const found = o.status === 'open' ? await matches.suggestions(reply.request.currentUser!, o) : { total: 0, items: [] };
    const chosen = new Set(opts.chosen ?? []);
    return reply.render(
      `${V}/suggestions.njk`,
      {
        pageTitle: msg(`${K}.title`, { title: o.title }),
        o,
        open: o.status === 'open',
        total: found.total,
        shown: SUGGESTIONS_SHOWN,
        // Each person as a box to tick, with where they are, why they fit and when they last took part.
        items: found.items.map((c) => ({
          value: c.userId,
          text: c.name || t(`${K}.noName`),
          hint: {
            text: [
              c.region ? t(regionKey(c.region)) : t(`${K}.noRegion`),
              c.reasons.join('; '),
              c.lastInvolvedAt ? t(`${K}.lastInvolved`, { date: reply.request.tr.date(c.lastInvolvedAt) }) : t(`${K}.neverInvolved`),
            ].join(' · '),
          },
          checked: chosen.has(c.userId),
        })),
        invitedText: opts.invited === undefined ? null : t(`${K}.invited`, { count: opts.invited }),
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors) : [],
      },
      opts.errors ? 400 : 200,
    );
  }

  app.get<IdParams & { Querystring: { invited?: string } }>('/admin/opportunities/:id/suggestions', async (req, reply) => {
    const o = await find(req.params.id);
    const invited = typeof req.query.invited === 'string' && /^\d{1,4}$/.test(req.query.invited) ? Number(req.query.invited) : undefined;
    return render(reply, o, { invited });
  });

  app.post<IdParams>('/admin/opportunities/:id/invitations', async (req, reply) => {
    const o = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await matches.invite(req.currentUser!, o, form);
    if (!result.ok) return render(reply, o, { errors: result.errors, chosen: [form.people ?? []].flat().map(String) });
    return reply.redirect(`/admin/opportunities/${o.id}/suggestions?invited=${result.value.invited}`, 303);
  });
}
