import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import { idOf } from './commitments-schema.ts';

const A = 'commitmentsStaff.admin';
const V = 'accountability/views/commitments/admin';
type IdParams = { Params: { id: string } };
type MilestoneParams = { Params: { id: string; milestoneId: string } };
// The milestone and update forms share a page with others: their fields' ids carry a prefix.
const fieldIds: Record<string, Record<string, string>> = {
  milestone: { '#title': '#milestone-title' },
  update: { '#title': '#update-title' },
};
const DONE = new Set(['saved', 'published', 'unpublished', 'status', 'milestone', 'update']);

// One commitment as staff see it, with the forms to change its status and progress, add and
// tick off milestones, and publish an update. Registered inside the staff-only scope.
export default async function commitmentsAdminPageRoutes(app: FastifyInstance) {
  const { commitments } = app.services;

  // The page, with one form's values and errors when it is shown again after a mistake.
  async function renderPage(
    reply: FastifyReply,
    id: number,
    opts: { form?: string; values?: Record<string, unknown>; errors?: FieldErrors; done?: string } = {},
    status = 200,
  ) {
    const view = await commitments.staffView(id, 'en');
    if (!view) throw notFound('commitment');
    const statuses = await commitments.statuses.list();
    const names = new Map(statuses.map((s) => [s.id, s.name]));
    const errors = opts.errors ?? {};
    return reply.render(
      `${V}/commitment.njk`,
      {
        pageTitle: view.commitment.title,
        ...view,
        history: view.history.map((h) => ({ ...h, fromStatus: names.get(h.fromStatusId ?? 0), toStatus: names.get(h.toStatusId ?? 0) })),
        form: opts.form,
        values: opts.values ?? {},
        errors,
        errorList: errorSummary(Object.fromEntries(Object.entries(errors).filter(([k]) => k !== 'form'))).map((e) => ({
          ...e,
          href: fieldIds[opts.form ?? '']?.[e.href] ?? e.href,
        })),
        done: opts.done && DONE.has(opts.done) ? opts.done : null,
        statusItems: statuses
          .filter((s) => !s.archivedAt || s.id === view.commitment.statusId)
          .map((s) => ({
            value: String(s.id),
            text: s.requiresReason ? `${s.name} (${reply.request.tr.t(`${A}.status.needsReason`)})` : s.name,
            selected:
              (typeof opts.values?.statusId === 'string' ? opts.values.statusId : String(view.commitment.statusId)) === String(s.id),
          })),
      },
      status,
    );
  }

  const found = (raw: string) => {
    const id = idOf(raw);
    if (!id) throw notFound('commitment');
    return id;
  };

  app.get<IdParams & { Querystring: { done?: string } }>('/admin/commitments/:id', async (req, reply) =>
    renderPage(reply, found(req.params.id), { done: req.query.done }),
  );

  app.post<IdParams>('/admin/commitments/:id/status', async (req, reply) => {
    const id = found(req.params.id);
    const body = trimmed(req.body);
    const result = await commitments.changeStatus(req.currentUser!, id, body);
    if (!result.ok) {
      if (result.errors.form) throw notFound('commitment');
      return renderPage(reply, id, { form: 'status', values: body, errors: result.errors }, 400);
    }
    return reply.redirect(`/admin/commitments/${id}?done=status`, 303);
  });

  app.post<IdParams>('/admin/commitments/:id/milestones', async (req, reply) => {
    const id = found(req.params.id);
    const body = trimmed(req.body);
    const result = await commitments.addMilestone(id, body);
    if (!result.ok) {
      if (result.errors.form) throw notFound('commitment');
      return renderPage(reply, id, { form: 'milestone', values: body, errors: result.errors }, 400);
    }
    return reply.redirect(`/admin/commitments/${id}?done=milestone#milestones`, 303);
  });

  app.post<MilestoneParams>('/admin/commitments/:id/milestones/:milestoneId/done', async (req, reply) => {
    const id = found(req.params.id);
    const body = trimmed(req.body);
    const doneOn = body.undo === 'yes' ? null : todayInLondon();
    if (!(await commitments.markMilestone(id, idOf(req.params.milestoneId) ?? 0, doneOn))) throw notFound('milestone');
    return reply.redirect(`/admin/commitments/${id}?done=milestone#milestones`, 303);
  });

  app.post<MilestoneParams>('/admin/commitments/:id/milestones/:milestoneId/remove', async (req, reply) => {
    const id = found(req.params.id);
    if (!(await commitments.removeMilestone(id, idOf(req.params.milestoneId) ?? 0))) throw notFound('milestone');
    return reply.redirect(`/admin/commitments/${id}?done=milestone#milestones`, 303);
  });

  app.post<IdParams>('/admin/commitments/:id/updates', async (req, reply) => {
    const id = found(req.params.id);
    const body = trimmed(req.body);
    const result = await commitments.publishUpdate(req.currentUser!, id, body);
    if (!result.ok) {
      if (result.errors.form) throw notFound('commitment');
      return renderPage(reply, id, { form: 'update', values: body, errors: result.errors }, 400);
    }
    return reply.redirect(`/admin/commitments/${id}?done=update#updates`, 303);
  });
}
