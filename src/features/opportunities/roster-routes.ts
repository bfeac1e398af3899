import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { exportColumns } from './roster.ts';
import { selectionStates } from './tables.ts';

const V = 'opportunities/views/roster';
const P = 'opportunity-staff.admin';
type Params = { id: string };

const words = (t: (k: string) => string, group: string, values: string[]) => values.map((v) => t(`profile.options.${group}.${v}`));

// After selection: the participants (selected applicants) and the CSV export of applications, for
// involvement staff and admins only.
export default async function rosterRoutes(app: FastifyInstance) {
  const { selection } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  app.get<{ Params: Params }>('/admin/opportunities/:id/participants', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const { t } = req.tr;
    const { opportunity, people } = await selection.participantsForStaff(req.currentUser!, id);
    return reply.render(`${V}/participants.njk`, {
      pageTitle: msg(`${P}.participants.title`, { title: opportunity.title }),
      opportunity,
      people: people.map((p) => ({
        name: p.name,
        email: p.email,
        accessNeeds: words(t, 'accessNeeds', p.application.accessNeeds),
        accessNeedsNotes: p.application.accessNeedsNotes,
        contactMethods: words(t, 'contactMethods', p.application.contactMethods),
        formats: words(t, 'formats', p.application.formats),
        anythingElse: p.application.anythingElse,
        viaWaitlist: p.application.offerResponse === 'accepted',
        href: `/admin/opportunities/${id}/applications/${p.application.id}`,
      })),
      filled: people.length,
      places: opportunity.places,
    });
  });

  async function renderExport(reply: FastifyReply, id: number, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) {
    const { t } = reply.request.tr;
    const opportunity = await selection.opportunity(id);
    const questions = await selection.exportQuestions(id);
    const ticked = new Set([values.columns ?? []].flat());
    const item = (value: string, text: string) => ({ value, text, checked: ticked.has(value) });
    return reply.render(
      `${V}/export.njk`,
      {
        pageTitle: msg(`${P}.export.title`, { title: opportunity.title }),
        opportunity,
        columnItems: exportColumns.flatMap((c) =>
          c === 'questions'
            ? questions.map((q) => item(`q${q.id}`, t(`${P}.export.columns.answer`, { label: q.label })))
            : [item(c, t(`${P}.export.columns.${c}`))],
        ),
        decisionItems: [
          { value: '', text: t(`${P}.export.decision.all`) },
          ...selectionStates.map((s) => ({ value: s, text: t(`selection.admin.selection.${s}`), selected: values.decision === s })),
        ],
        errors,
        errorList: errorSummary(errors, ['columns', 'decision']),
      },
      status,
    );
  }

  app.get<{ Params: Params }>('/admin/opportunities/:id/applications/export', async (req, reply) =>
    renderExport(reply, idOrNotFound(req.params.id, 'opportunity'), {}),
  );

  app.post<{ Params: Params }>('/admin/opportunities/:id/applications/export', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'opportunity');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const result = await selection.startExport(req.currentUser!, id, body, req.tr);
    if (!result.ok) return renderExport(reply, id, body, result.errors, 400);
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="applications-${id}-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(result.value));
  });
}
