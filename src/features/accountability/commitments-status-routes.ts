import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import type { StatusRow } from './commitments-repository.ts';
import { idOf } from './commitments-schema.ts';
import { statusCategories } from './tables.ts';

const A = 'commitmentsStaff.admin.statuses';
const V = 'accountability/views/commitments/admin';
type IdParams = { Params: { id: string } };
const fieldOrder = ['name', 'name_cy', 'category', 'defaultProgress', 'requiresReason', 'position'];

const valuesOf = (s: StatusRow) => ({
  name: s.name,
  name_cy: s.translations?.cy?.name ?? '',
  category: s.category,
  defaultProgress: s.defaultProgress === null ? '' : String(s.defaultProgress),
  requiresReason: s.requiresReason ? 'yes' : '',
  position: String(s.position),
});

// The statuses a commitment can be in: admins name them, order them, give each a category (for
// the public counts), a default progress, and whether moving there needs a reason.
export default async function commitmentsStatusRoutes(app: FastifyInstance) {
  const { commitments } = app.services;
  app.addHook('onRequest', requireAdmin);

  async function render(
    reply: FastifyReply,
    editing: StatusRow | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    return reply.render(
      `${V}/statuses.njk`,
      {
        pageTitle: editing ? msg(`${A}.editTitle`, { name: editing.name }) : msg(`${A}.title`),
        statuses: editing ? [] : await commitments.statuses.list(),
        editing,
        values,
        errors,
        errorList: errorSummary(errors, fieldOrder),
        formAction: editing ? `/admin/commitments/statuses/${editing.id}` : '/admin/commitments/statuses',
        categoryItems: statusCategories.map((c) => ({ value: c, text: t(`${A}.categories.${c}`), checked: values.category === c })),
      },
      status,
    );
  }

  const find = async (raw: string) => {
    const id = idOf(raw);
    const found = id ? await commitments.statuses.find(id) : null;
    if (!found) throw notFound('status');
    return found;
  };

  app.get('/admin/commitments/statuses', async (_req, reply) => render(reply, null, { category: 'on-track' }));

  app.post('/admin/commitments/statuses', async (req, reply) => {
    const body = trimmed(req.body);
    const result = await commitments.statuses.create(body);
    if (!result.ok) return render(reply, null, body, result.errors, 400);
    return reply.redirect('/admin/commitments/statuses', 303);
  });

  app.get<IdParams>('/admin/commitments/statuses/:id', async (req, reply) => {
    const found = await find(req.params.id);
    return render(reply, found, valuesOf(found));
  });

  app.post<IdParams>('/admin/commitments/statuses/:id', async (req, reply) => {
    const found = await find(req.params.id);
    const body = trimmed(req.body);
    const result = await commitments.statuses.update(found.id, body);
    if (!result.ok) return render(reply, found, body, result.errors, 400);
    return reply.redirect('/admin/commitments/statuses', 303);
  });

  app.post<IdParams>('/admin/commitments/statuses/:id/archive', async (req, reply) => {
    const found = await find(req.params.id);
    await commitments.statuses.setArchived(found.id, !found.archivedAt);
    return reply.redirect('/admin/commitments/statuses', 303);
  });
}
