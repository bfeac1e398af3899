import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { OrganisationRow } from './repository.ts';
import { detailFieldOrder, kindKey } from './schema.ts';
import { languages } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { parseId } from '#src/lib/ids.ts';
import { organisationStatuses, type OrganisationStatus } from './tables.ts';
import { formErrorList, kindItems } from './routes.ts';

const A = 'organisations.admin';
const statusKey = (s: OrganisationStatus) => `${A}.status.${s}`;
const savedKinds = ['approved', 'declined', 'changed', 'archived', 'restored'];

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
    extra: {
      saved?: string;
      notice?: 'decided' | 'duplicate' | 'notApproved' | 'notArchived';
      values?: Record<string, unknown>;
      errors?: FieldErrors;
    } = {},
    status = 200,
  ) {
    const errors = extra.errors ?? {};
    const { t } = reply.request.tr;
    return reply.render(
      'organisations/views/admin/organisation.njk',
      {
        pageTitle: o.name,
        o,
        kind: t(kindKey(o.kind)),
        statusText: t(statusKey(o.status)),
        languageName: languages.find((l) => l.code === o.language)?.name ?? o.language,
        members: await organisations.memberCount(o.id),
        saved: extra.saved && savedKinds.includes(extra.saved) ? t(`${A}.saved.${extra.saved}`) : undefined,
        notice: extra.notice ? t(`${A}.notices.${extra.notice}`) : undefined,
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
      pageTitle: msg(`${A}.list.title`),
      status,
      statusLabel: req.tr.t(statusKey(status)),
      tabs: organisationStatuses.map((s) => ({ value: s, text: req.tr.t(statusKey(s)), count: counts[s] ?? 0, current: s === status })),
      items: items.map((o) => ({ ...o, kindText: req.tr.t(kindKey(o.kind)) })),
    });
  });

  app.get<IdParams & { Querystring: { saved?: string } }>('/admin/organisations/:id', async (req, reply) =>
    renderOne(reply, await find(req.params.id), { saved: req.query.saved }),
  );

  app.post<IdParams>('/admin/organisations/:id/approve', async (req, reply) => {
    const o = await find(req.params.id);
    const done = await organisations.approve(o.id, me(req));
    if (!done) return renderOne(reply, o, { notice: 'decided' }, 409);
    return reply.redirect(`/admin/organisations/${o.id}?saved=approved`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/decline', async (req, reply) => {
    const o = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await organisations.decline(o.id, me(req), form);
    if (!result.ok) return renderOne(reply, o, { values: form, errors: result.errors }, 400);
    if (!result.value) return renderOne(reply, o, { notice: 'decided' }, 409);
    return reply.redirect(`/admin/organisations/${o.id}?saved=declined`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/archive', async (req, reply) => {
    const o = await find(req.params.id);
    const archive = trimmed(req.body).archived !== 'no';
    const outcome = await organisations.setArchived(o.id, me(req), archive);
    if (outcome === 'done') return reply.redirect(`/admin/organisations/${o.id}?saved=${archive ? 'archived' : 'restored'}`, 303);
    const notice = outcome === 'duplicate' ? 'duplicate' : archive ? 'notApproved' : 'notArchived';
    return renderOne(reply, o, { notice }, 409);
  });

  const renderEdit = (reply: FastifyReply, o: OrganisationRow, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'organisations/views/admin/edit.njk',
      {
        pageTitle: msg(`${A}.edit.pageTitle`, { name: o.name }),
        o,
        values,
        errors,
        errorList: formErrorList(errors, detailFieldOrder),
        kindItems: kindItems(values.kind, reply.request.tr),
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
