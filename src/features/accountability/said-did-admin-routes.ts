import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dateParts, todayInLondon } from '#src/lib/date-field.ts';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import type { Translations } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { saidDidPath } from './said-did-lookup.ts';
import type { EntryRow } from './said-did-repository.ts';
import { entryFieldOrder, NAMES_MAX, readPrefill, TEXT_MAX } from './said-did-schema.ts';
import { saidDidEditPath } from './said-did-service.ts';
import { saidSources } from './tables.ts';

type IdParams = { Params: { id: string } };
const V = 'accountability/views/said-did';
const A = 'saidDidStaff.admin';
const BASE = '/admin/you-said-we-did';
const savedKinds = ['created', 'changed', 'published', 'unpublished', 'deleted'];

// A stored entry as the form's fields.
function formValues(row: EntryRow): Record<string, unknown> {
  const cy = (row.translations as Translations | null)?.cy ?? {};
  return {
    ...row,
    youSaid: row.youSaidMarkdown,
    weDid: row.weDidMarkdown,
    title_cy: cy.title ?? '',
    youSaid_cy: cy.youSaidMarkdown ?? '',
    weDid_cy: cy.weDidMarkdown ?? '',
    sourceId: row.sourceId === null ? '' : String(row.sourceId),
    groupId: row.groupId === null ? '' : String(row.groupId),
    commitmentId: row.commitmentId === null ? '' : String(row.commitmentId),
    ...dateParts('happenedOn', row.happenedOn),
    namesAgreed: row.creditedNames ? 'yes' : '',
  };
}

// Staff write "you said, we did" entries (from a review's published summary or a meeting's minutes
// in one step), publish and unpublish them, and delete them. Every member of staff may.
export default async function saidDidAdminRoutes(app: FastifyInstance) {
  const { saidDid } = app.services;
  app.addHook('onRequest', requireStaff);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;
  const saved = (req: FastifyRequest) => {
    const s = (req.query as Record<string, unknown>).saved;
    return typeof s === 'string' && savedKinds.includes(s) ? s : null;
  };
  const find = async (raw: string) => {
    const row = await saidDid.byId(idOrNotFound(raw, 'entry'));
    if (!row) throw notFound('entry');
    return row;
  };

  async function renderForm(
    req: FastifyRequest,
    reply: FastifyReply,
    entry: EntryRow | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t } = req.tr;
    const options = await saidDid.formOptions();
    const none = (key: string) => ({ value: '', text: t(`${A}.form.${key}.none`) });
    return reply.render(
      `${V}/admin-form.njk`,
      {
        pageTitle: msg(entry ? `${A}.form.editTitle` : `${A}.form.newTitle`),
        entry: entry && { ...entry, path: saidDidPath(entry.slug) },
        formAction: entry ? saidDidEditPath(entry.id) : `${BASE}/new`,
        values,
        errors,
        errorList: errorSummary(errors, entryFieldOrder),
        sourceItems: saidSources.map((s) => ({ value: s, text: t(`${A}.form.source.options.${s}`), checked: values.source === s })),
        groupItems: [
          none('groupId'),
          ...options.groups.map((g) => ({ value: String(g.id), text: g.name, selected: values.groupId === String(g.id) })),
        ],
        commitmentItems: [
          none('commitmentId'),
          ...options.commitments.map((c) => ({
            value: String(c.id),
            text: c.published ? c.title : t(`${A}.form.commitmentId.draft`, { title: c.title }),
            selected: values.commitmentId === String(c.id),
          })),
        ],
        themes: options.themes,
        textMax: TEXT_MAX,
        namesMax: NAMES_MAX,
        saved: saved(req),
      },
      status,
    );
  }

  app.get(BASE, async (req, reply) =>
    reply.render(`${V}/admin-list.njk`, {
      pageTitle: msg(`${A}.list.title`),
      entries: (await saidDid.staffList()).map((e) => ({ ...e, editPath: saidDidEditPath(e.id), path: saidDidPath(e.slug) })),
      waiting: await saidDid.summariesWithoutEntry(),
      saved: saved(req),
    }),
  );

  // ?from=review&id=… or ?from=meeting&id=…: filled in from what was published; an entry already
  // written about it is opened instead.
  app.get(`${BASE}/new`, async (req, reply) => {
    const from = readPrefill(req.query as Record<string, unknown>);
    const blank = { source: '', ...dateParts('happenedOn', todayInLondon()) };
    if (!from) return renderForm(req, reply, null, blank);
    const existing = await saidDid.entryForSource(from.from, from.id);
    if (existing) return reply.redirect(existing.editPath, 303);
    const values = await saidDid.prefill(from.from, from.id, req.tr);
    if (!values) throw notFound(from.from);
    return renderForm(req, reply, null, { ...blank, ...values });
  });

  app.post(`${BASE}/new`, async (req, reply) => {
    const form = trimmed(req.body);
    const result = await saidDid.create(me(req), form);
    if (!result.ok) return renderForm(req, reply, null, form, result.errors, 400);
    return reply.redirect(`${saidDidEditPath(result.value.id)}?saved=created`, 303);
  });

  app.get<IdParams>(`${BASE}/:id`, async (req, reply) => {
    const row = await find(req.params.id);
    return renderForm(req, reply, row, formValues(row));
  });

  app.post<IdParams>(`${BASE}/:id`, async (req, reply) => {
    const row = await find(req.params.id);
    const form = trimmed(req.body);
    const result = await saidDid.update(row.id, form);
    if (result === null) throw notFound('entry');
    if (!result.ok) return renderForm(req, reply, row, form, result.errors, 400);
    return reply.redirect(`${saidDidEditPath(row.id)}?saved=changed`, 303);
  });

  for (const change of ['publish', 'unpublish'] as const)
    app.post<IdParams>(`${BASE}/:id/${change}`, async (req, reply) => {
      const id = idOrNotFound(req.params.id, 'entry');
      if (!(await saidDid[change](me(req), id))) throw notFound('entry');
      return reply.redirect(`${saidDidEditPath(id)}?saved=${change}ed`, 303);
    });

  app.get<IdParams>(`${BASE}/:id/delete`, async (req, reply) => {
    const row = await find(req.params.id);
    return reply.render(`${V}/admin-delete.njk`, {
      pageTitle: msg(`${A}.delete.title`),
      entry: { ...row, editPath: saidDidEditPath(row.id) },
    });
  });

  app.post<IdParams>(`${BASE}/:id/delete`, async (req, reply) => {
    if (!(await saidDid.remove(me(req), idOrNotFound(req.params.id, 'entry')))) throw notFound('entry');
    return reply.redirect(`${BASE}?saved=deleted`, 303);
  });
}
