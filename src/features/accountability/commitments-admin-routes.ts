import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import commitmentsAdminPageRoutes from './commitments-admin-page.ts';
import type { CommitmentRow } from './commitments-repository.ts';
import { commitmentFieldOrder, dateBoxes, idOf } from './commitments-schema.ts';
import { rollupKinds } from './tables.ts';

const A = 'commitmentsStaff.admin';
const V = 'accountability/views/commitments/admin';
type IdParams = { Params: { id: string } };

function formValues(c: CommitmentRow): Record<string, unknown> {
  const cy = c.translations?.cy ?? {};
  return {
    title: c.title,
    promise: c.promiseMarkdown,
    why: c.whyMarkdown,
    responsibleRole: c.responsibleRole ?? '',
    responsibleUserId: c.responsibleUserId ?? '',
    sourceTitle: c.sourceTitle ?? '',
    sourceUrl: c.sourceUrl ?? '',
    ...dateBoxes('startsOn', c.startsOn),
    ...dateBoxes('dueOn', c.dueOn),
    statusId: String(c.statusId),
    progress: String(c.progress),
    tags: c.tags.join(', '),
    parentId: c.parentId ? String(c.parentId) : '',
    rollup: c.rollup,
    weight: String(c.weight),
    commentsOpen: c.commentsOpen ? 'yes' : '',
    title_cy: cy.title ?? '',
    promise_cy: cy.promiseMarkdown ?? '',
    why_cy: cy.whyMarkdown ?? '',
  };
}

// Staff keep commitments: the list as a tree, the form to add or change one, and publishing.
export default async function commitmentsAdminRoutes(app: FastifyInstance) {
  const { commitments, identity } = app.services;

  await app.register(async (staff) => {
    staff.addHook('onRequest', requireStaff);

    async function renderForm(
      reply: FastifyReply,
      found: CommitmentRow | null,
      values: Record<string, unknown>,
      errors: FieldErrors = {},
      status = 200,
    ) {
      const { t } = reply.request.tr;
      const [statuses, options, people] = await Promise.all([
        commitments.statuses.list(),
        commitments.options(),
        identity.staff.list(1, 500),
      ]);
      const chosen = (v: unknown, x: string) => typeof v === 'string' && v === x;
      return reply.render(
        `${V}/form.njk`,
        {
          pageTitle: found ? msg(`${A}.form.editTitle`, { title: found.title }) : msg(`${A}.form.newTitle`),
          found,
          values,
          errors,
          errorList: errorSummary(Object.fromEntries(Object.entries(errors).filter(([k]) => k !== 'form')), commitmentFieldOrder),
          formAction: found ? `/admin/commitments/${found.id}/edit` : '/admin/commitments/new',
          statusItems: statuses
            .filter((s) => !s.archivedAt)
            .map((s) => ({ value: String(s.id), text: s.name, selected: chosen(values.statusId, String(s.id)) })),
          parentItems: [
            { value: '', text: t(`${A}.form.parentId.none`) },
            ...options
              .filter((o) => o.id !== found?.id)
              .map((o) => ({ value: String(o.id), text: o.title, selected: chosen(values.parentId, String(o.id)) })),
          ],
          staffItems: [
            { value: '', text: t(`${A}.form.responsibleUserId.none`) },
            ...people.items
              .filter((p) => p.status === 'active')
              .map((p) => ({
                value: p.id,
                text: p.jobTitle ? `${p.name}, ${p.jobTitle}` : p.name,
                selected: chosen(values.responsibleUserId, p.id),
              })),
          ],
          rollupItems: rollupKinds.map((k) => ({
            value: k,
            text: t(`${A}.form.rollup.${k}`),
            checked: (values.rollup ?? 'average') === k,
          })),
        },
        status,
      );
    }

    staff.get('/admin/commitments', async (req, reply) => {
      return reply.render(`${V}/list.njk`, { pageTitle: msg(`${A}.list.title`), items: await commitments.staffList(req.lang) });
    });

    staff.get('/admin/commitments/new', async (_req, reply) =>
      renderForm(reply, null, { commentsOpen: 'yes', rollup: 'average', weight: '1' }),
    );

    staff.post('/admin/commitments/new', async (req, reply) => {
      const body = trimmed(req.body);
      const result = await commitments.create(req.currentUser!, body);
      if (!result.ok) return renderForm(reply, null, body, result.errors, 400);
      return reply.redirect(`/admin/commitments/${result.value.id}`, 303);
    });

    staff.get<IdParams>('/admin/commitments/:id/edit', async (req, reply) => {
      const id = idOf(req.params.id);
      const found = id ? (await commitments.staffView(id, 'en'))?.commitment : null;
      if (!found) throw notFound('commitment');
      return renderForm(reply, found, formValues(found));
    });

    staff.post<IdParams>('/admin/commitments/:id/edit', async (req, reply) => {
      const id = idOf(req.params.id);
      const found = id ? (await commitments.staffView(id, 'en'))?.commitment : null;
      if (!found) throw notFound('commitment');
      const body = trimmed(req.body);
      const result = await commitments.update(found.id, body);
      if (!result.ok) return renderForm(reply, found, body, result.errors, 400);
      return reply.redirect(`/admin/commitments/${found.id}?done=saved`, 303);
    });

    for (const [action, publish] of [
      ['publish', true],
      ['unpublish', false],
    ] as const) {
      staff.post<IdParams>(`/admin/commitments/:id/${action}`, async (req, reply) => {
        const id = idOf(req.params.id);
        const done = id ? await commitments.setPublished(req.currentUser!, id, publish) : null;
        if (!done) throw notFound('commitment');
        return reply.redirect(`/admin/commitments/${id}?done=${publish ? 'published' : 'unpublished'}`, 303);
      });
    }

    await staff.register(commitmentsAdminPageRoutes);
  });
}
