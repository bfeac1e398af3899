import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dateParts } from '#src/lib/date-field.ts';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { RoundRow } from './assessing-repository.ts';

const V = 'accountability/views/assessing';
type IdParams = { Params: { id: string }; Querystring: { invited?: string } };
export const contributorsPath = (roundId: number) => `/admin/standards/rounds/${roundId}/contributors`;

// Staff invite contributors to co-assess a round and set the closing date; they see who was
// invited and who has sent their view. Names are shown, so only staff who may see the register.
export default async function assessingStaffRoutes(app: FastifyInstance) {
  const { assessing, groups } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  async function roundOr404(req: FastifyRequest<{ Params: { id: string } }>): Promise<RoundRow> {
    const round = await assessing.roundById(idOrNotFound(req.params.id, 'round'));
    if (!round) throw notFound('round');
    return round;
  }

  async function renderPage(
    reply: FastifyReply,
    round: RoundRow,
    opts: { values?: Record<string, unknown>; errors?: FieldErrors; invited?: number | null } = {},
    status = 200,
  ) {
    const values = opts.values ?? (round.contributorsCloseOn ? dateParts('closeOn', round.contributorsCloseOn) : {});
    const [people, groupRows] = await Promise.all([assessing.participantsFor(round.id), groups.forStaff(false)]);
    return reply.render(
      `${V}/staff.njk`,
      {
        pageTitle: msg('assessing.admin.contributors.title', { title: round.title }),
        round,
        people,
        sent: people.filter((p) => p.submittedAt).length,
        groupItems: groupRows.map((g) => ({
          value: String(g.group.id),
          text: g.group.name,
          selected: values.groupId === String(g.group.id),
        })),
        action: contributorsPath(round.id),
        values,
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors, ['groupId', 'emails', 'closeOn']) : [],
        invited: opts.invited ?? null,
      },
      status,
    );
  }

  app.get<IdParams>('/admin/standards/rounds/:id/contributors', async (req, reply) => {
    const round = await roundOr404(req);
    const invited = req.query.invited !== undefined && /^\d{1,5}$/.test(req.query.invited) ? Number(req.query.invited) : null;
    return renderPage(reply, round, { invited });
  });

  app.post<IdParams>('/admin/standards/rounds/:id/contributors', async (req, reply) => {
    const round = await roundOr404(req);
    const form = trimmed(req.body);
    const result = await assessing.invite(req.currentUser!, round, form);
    if (!result.ok) return renderPage(reply, round, { values: form, errors: result.errors }, 400);
    return reply.redirect(`${contributorsPath(round.id)}?invited=${result.value.invited}`, 303);
  });
}
