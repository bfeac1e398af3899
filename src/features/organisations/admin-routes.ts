import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { OrganisationRow } from './repository.ts';
import { detailFieldOrder, kindText } from './schema.ts';
import { parseId } from '#src/lib/ids.ts';
import { organisationStatuses, type OrganisationStatus } from './tables.ts';
import { formErrorList, kindItems } from './routes.ts';

const statusText: Record<OrganisationStatus, string> = {
  pending: 'Waiting for a decision',
  approved: 'Approved',
  declined: 'Declined',
  archived: 'Archived',
};
const savedText: Record<string, string> = {
  approved: 'Organisation approved. We have emailed its contact.',
  declined: 'Organisation declined. We have emailed its contact.',
  changed: 'Details saved.',
  archived: 'Organisation archived. It is no longer listed or offered to contributors.',
  restored: 'Organisation restored to the list of partners.',
};

type IdParams = { Params: { id: string } };

export default async function organisationAdminRoutes(app: FastifyInstance) {
  const { organisations } = app.services;
  // Partner organisations are the involvement team's work: admins and involvement staff only.
  app.addHook('onRequest', requireRegisterAccess);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  async function find(raw: string): Promise<OrganisationRow> {
    const id = parseId(raw);
    const found = id ? await organisations.byId(id) : undefined;
    if (!found) throw notFound('organisation');
    return found;
  }

  async function renderOne(
    reply: FastifyReply,
    o: OrganisationRow,
    extra: { saved?: string; notice?: string; values?: Record<string, unknown>; errors?: FieldErrors } = {},
    status = 200,
  ) {
    const errors = extra.errors ?? {};
    return reply.render(
      'organisations/views/admin/organisation.njk',
      {
        pageTitle: o.name,
        o,
        kind: kindText(o.kind),
        statusText: statusText[o.status],
        members: await organisations.memberCount(o.id),
        saved: extra.saved ? savedText[extra.saved] : undefined,
        notice: extra.notice,
        values: extra.values ?? {},
        errors,
        errorList: errorSummary(errors, ['reason']),
      },
      status,
    );
  }

  app.get<{ Querystring: { status?: string } }>('/admin/organisations', async (req, reply) => {
    const status = (organisationStatuses as readonly string[]).includes(req.query.status ?? '')
      ? (req.query.status as OrganisationStatus)
      : 'pending';
    const [items, counts] = await Promise.all([organisations.withStatus(status), organisations.counts()]);
    return reply.render('organisations/views/admin/list.njk', {
      pageTitle: 'Partner organisations',
      status,
      statusLabel: statusText[status],
      tabs: organisationStatuses.map((s) => ({ value: s, text: statusText[s], count: counts[s] ?? 0, current: s === status })),
      items: items.map((o) => ({ ...o, kindText: kindText(o.kind) })),
    });
  });

  app.get<IdParams & { Querystring: { saved?: string } }>('/admin/organisations/:id', async (req, reply) =>
    renderOne(reply, await find(req.params.id), { saved: req.query.saved }),
  );

  app.post<IdParams>('/admin/organisations/:id/approve', async (req, reply) => {
    const o = await find(req.params.id);
    const done = await organisations.approve(o.id, me(req));
    if (!done) return renderOne(reply, o, { notice: 'This organisation has already been decided.' }, 409);
    return reply.redirect(`/admin/organisations/${o.id}?saved=approved`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/decline', async (req, reply) => {
    const o = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await organisations.decline(o.id, me(req), form);
    if (!result.ok) return renderOne(reply, o, { values: form, errors: result.errors }, 400);
    if (!result.value) return renderOne(reply, o, { notice: 'This organisation has already been decided.' }, 409);
    return reply.redirect(`/admin/organisations/${o.id}?saved=declined`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/archive', async (req, reply) => {
    const o = await find(req.params.id);
    const archive = trimmed(req.body).archived !== 'no';
    const outcome = await organisations.setArchived(o.id, me(req), archive);
    if (outcome === 'done') return reply.redirect(`/admin/organisations/${o.id}?saved=${archive ? 'archived' : 'restored'}`, 303);
    const notice =
      outcome === 'duplicate'
        ? 'Another organisation with this name is on the list or waiting for a decision, so this one cannot be restored.'
        : archive
          ? 'Only approved organisations can be archived.'
          : 'Only archived organisations can be restored.';
    return renderOne(reply, o, { notice }, 409);
  });

  const renderEdit = (reply: FastifyReply, o: OrganisationRow, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'organisations/views/admin/edit.njk',
      {
        pageTitle: `Change details – ${o.name}`,
        o,
        values,
        errors,
        errorList: formErrorList(errors, detailFieldOrder),
        kindItems: kindItems(values.kind),
      },
      status,
    );

  app.get<IdParams>('/admin/organisations/:id/edit', async (req, reply) => {
    const o = await find(req.params.id);
    return renderEdit(reply, o, o);
  });

  app.post<IdParams>('/admin/organisations/:id/edit', async (req, reply) => {
    const o = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await organisations.edit(o, form);
    if (!result.ok) return renderEdit(reply, o, form, result.errors, 400);
    return reply.redirect(`/admin/organisations/${o.id}?saved=changed`, 303);
  });
}
