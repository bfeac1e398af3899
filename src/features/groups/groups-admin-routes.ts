import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { translationsToForm } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { dayParts } from '#src/features/opportunities/dates.ts';
import { groupFieldOrder } from './groups-schema.ts';
import type { GroupRow } from './groups-repository.ts';
import { manageGroupPage } from './manage-page.ts';
import { groupKinds, groupVisibilities } from './tables.ts';

const A = 'groups.admin';
type IdParams = { Params: { id: string } };

function formValues(g: GroupRow): Record<string, unknown> {
  const cy = translationsToForm(g.translations, ['name', 'purposeMarkdown']);
  return {
    ...g,
    purpose: g.purposeMarkdown,
    name_cy: cy.name_cy,
    purpose_cy: cy.purposeMarkdown_cy,
    leadUserId: g.leadUserId ?? '',
    ...dayParts('startsOn', g.startsOn),
    ...dayParts('endsOn', g.endsOn),
  };
}

// The group form, new or to change, with the active staff accounts to choose the lead from.
async function renderForm(
  app: FastifyInstance,
  reply: FastifyReply,
  g: GroupRow | null,
  values: Record<string, unknown>,
  errors: FieldErrors = {},
  status = 200,
) {
  const { t } = reply.request.tr;
  const staff = (await app.services.identity.staff.list(1, 500)).items.filter((s) => s.status === 'active');
  return reply.render(
    'groups/views/admin/form.njk',
    {
      pageTitle: g ? msg(`${A}.form.editTitle`, { name: g.name }) : msg(`${A}.form.newTitle`),
      g,
      values,
      errors,
      errorList: errorSummary(errors, groupFieldOrder),
      formAction: g ? `/admin/groups/${g.id}/edit` : '/admin/groups/new',
      kindItems: groupKinds.map((k) => ({ value: k, text: t(`groups.kinds.${k}`), checked: values.kind === k })),
      visibilityItems: groupVisibilities.map((v) => ({
        value: v,
        text: t(`groups.visibility.${v}`),
        hint: { text: t(`${A}.form.visibility.${v}Hint`) },
        checked: values.visibility === v,
      })),
      leadItems: [
        { value: '', text: t(`${A}.form.leadUserId.none`) },
        ...staff.map((s) => ({
          value: s.id,
          text: s.jobTitle ? `${s.name} (${s.jobTitle})` : s.name,
          selected: values.leadUserId === s.id,
        })),
      ],
    },
    status,
  );
}

// Staff who run groups (involvement staff and admins): the list, making and changing a group,
// archiving it, and its manage page.
export default async function groupsAdminRoutes(app: FastifyInstance) {
  const { groups } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const page = manageGroupPage(app);

  app.get<{ Querystring: Record<string, unknown> }>('/admin/groups', async (req, reply) => {
    const archived = req.query.archived === '1';
    const { t } = req.tr;
    const rows = await groups.forStaff(archived);
    return reply.render('groups/views/admin/list.njk', {
      pageTitle: msg(`${A}.list.title`),
      archived,
      items: rows.map((r) => ({
        ...r.group,
        members: r.members,
        kindText: t(`groups.kinds.${r.group.kind}`),
        visibilityText: t(`groups.visibility.${r.group.visibility}`),
      })),
    });
  });

  app.get('/admin/groups/new', async (_req, reply) => renderForm(app, reply, null, { visibility: 'private' }));
  app.post('/admin/groups/new', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await groups.create(req.currentUser!, form);
    if (!result.ok) return renderForm(app, reply, null, form, result.errors, 400);
    return reply.redirect(`/admin/groups/${result.value.id}?saved=created`, 303);
  });

  app.get<IdParams & { Querystring: Record<string, unknown> }>('/admin/groups/:id', async (req, reply) => {
    const g = await page.find(req.params.id);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const count = Number(req.query.count);
    const saved = typeof req.query.saved === 'string' ? req.query.saved : undefined;
    return page.render(reply, g, { q, notice: saved, count: Number.isFinite(count) ? count : 0 });
  });

  app.get<IdParams>('/admin/groups/:id/edit', async (req, reply) => {
    const g = await page.find(req.params.id);
    if (g.archivedAt) return page.render(reply, g, { errors: { form: msg('groups.validation.archived') } }, 409);
    return renderForm(app, reply, g, formValues(g));
  });
  app.post<IdParams>('/admin/groups/:id/edit', async (req, reply) => {
    const g = await page.find(req.params.id);
    const form = trimmed(req.body);
    const result = await groups.update(g, req.currentUser!, form);
    if (!result.ok && g.archivedAt) return page.render(reply, g, { errors: result.errors }, 409);
    if (!result.ok) return renderForm(app, reply, g, form, result.errors, 400);
    return reply.redirect(`/admin/groups/${g.id}?saved=changed`, 303);
  });

  app.post<IdParams>('/admin/groups/:id/archive', async (req, reply) => {
    const g = await page.find(req.params.id);
    const result = await groups.archive(g, req.currentUser!);
    if (!result.ok) return page.render(reply, g, { errors: result.errors }, 409);
    return reply.redirect(`/admin/groups/${g.id}?saved=archived`, 303);
  });
}
