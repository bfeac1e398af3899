import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { recordFieldOrder, recordRoles, UNPAID } from './staff-records-schema.ts';

const P = 'involvementStaff.admin';
type IdParams = { Params: { id: string } };
const savedKinds = ['added', 'changed'];
const savedOf = (q: unknown) => {
  const saved = (q as Record<string, unknown>).saved;
  return typeof saved === 'string' && savedKinds.includes(saved) ? saved : null;
};

// Involvement records by hand (admins and involvement staff): the latest records, adding one for a
// person ("spoke at our conference"), and "what difference it made" on any record.
export default async function staffRecordsRoutes(app: FastifyInstance) {
  const { involvementStaffRecords: records } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  app.get('/admin/involvement/records', async (_req, reply) =>
    reply.render('involvement/views/staff-records/list.njk', { pageTitle: msg(`${P}.list.title`), items: await records.recent() }),
  );

  async function renderNew(reply: FastifyReply, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) {
    const { t } = reply.request.tr;
    const [kinds, staff] = await Promise.all([records.activityKinds(), records.activeStaff()]);
    return reply.render(
      'involvement/views/staff-records/new.njk',
      {
        pageTitle: msg(`${P}.new.title`),
        values,
        errors,
        errorList: errorSummary(errors, recordFieldOrder),
        kindItems: [
          ...kinds.map((k) => ({
            value: k.kind,
            text: `${k.name} (${t(`rates.admin.units.${k.unit}`)})`,
            checked: values.activityKind === k.kind,
          })),
          { value: UNPAID, text: t(`${P}.new.activityKind.unpaid`), checked: values.activityKind === UNPAID },
        ],
        roleItems: recordRoles.map((r) => ({ value: r, text: t(`${P}.roles.${r}`), selected: values.role === r })),
        leadItems: staff.map((s) => ({
          value: s.id,
          text: s.jobTitle ? `${s.name} (${s.jobTitle})` : s.name,
          selected: values.leadUserId === s.id,
        })),
      },
      status,
    );
  }

  app.get('/admin/involvement/records/new', async (req, reply) => renderNew(reply, { role: 'member', leadUserId: req.currentUser!.id }));
  app.post('/admin/involvement/records/new', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await records.add(req.currentUser!, form);
    if (!result.ok) return renderNew(reply, form, result.errors, 400);
    return reply.redirect(`/admin/involvement/records/${result.value.id}?saved=added`, 303);
  });

  async function renderRecord(
    reply: FastifyReply,
    id: number,
    values: Record<string, unknown> | null,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const found = await records.one(id);
    if (!found) throw notFound('record');
    return reply.render(
      'involvement/views/staff-records/record.njk',
      {
        pageTitle: msg(`${P}.record.title`, { title: found.record.title }),
        ...found,
        hours: Math.round((found.record.minutes / 60) * 100) / 100,
        values: values ?? { difference: found.record.difference ?? '' },
        errors,
        errorList: errorSummary(errors, ['difference']),
        saved: savedOf(reply.request.query),
      },
      status,
    );
  }

  app.get<IdParams>('/admin/involvement/records/:id', async (req, reply) =>
    renderRecord(reply, idOrNotFound(req.params.id, 'record'), null),
  );
  app.post<IdParams>('/admin/involvement/records/:id', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'record');
    const found = await records.one(id);
    if (!found) throw notFound('record');
    const form = trimmed(req.body);
    const result = await records.changeDifference(req.currentUser!, found.record, form);
    if (!result.ok) return renderRecord(reply, id, form, result.errors, 400);
    return reply.redirect(`/admin/involvement/records/${id}?saved=changed`, 303);
  });
}
