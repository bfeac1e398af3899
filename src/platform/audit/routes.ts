import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { csvRow } from '#src/lib/csv.ts';
import { errorSummary, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { pagination } from '#src/lib/pagination.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { actionWords, detailPairs, filterPairs, filterQuery, personCell, personText, presentRows, serviceFilter } from './present.ts';
import { auditFilterSchema, filterFieldOrder, type AuditFilterForm } from './schema.ts';
import type { AuditService } from './service.ts';
import type { AccountLabel } from '#src/platform/identity/account-reads.ts';

type Query = Record<string, unknown>;

// The action filter: every declared action, grouped under the module or feature that declared it.
function actionGroups(audit: AuditService, selected: string | undefined, { t, has }: Translator) {
  return audit.actionGroups.map(({ feature, actions }) => {
    const key = `audit.admin.groups.${feature.name}`;
    const label = has(key) ? t(key) : feature.adminLinks?.[0] ? t(feature.adminLinks[0].text) : feature.name;
    return { label, items: Object.entries(actions).map(([value, words]) => ({ value, text: t(words), selected: value === selected })) };
  });
}

// Admins read the trail of who did what to whose data, narrow it down and take it away as a spreadsheet.
export default async function auditRoutes(app: FastifyInstance) {
  const { audit } = app.services;
  const FilterSchema = auditFilterSchema(Object.keys(audit.actions));

  async function renderLog(reply: FastifyReply, query: Query, filter: AuditFilterForm | null, errors: FieldErrors | null) {
    const tr = reply.request.tr;
    const result = filter ? await audit.list(serviceFilter(filter)) : null;
    const people = await audit.people([
      ...(result?.items ?? []),
      { actorUserId: filter?.actor ?? null, subjectUserId: filter?.subject ?? null },
    ]);
    const raw = (name: string) => (typeof query[name] === 'string' ? query[name].trim() : '');
    const summary = filter ? filterSummary(audit, filter, people, tr) : [];
    const page = result?.page ?? 1;
    return reply.render(
      'audit/views/audit.njk',
      {
        pageTitle: page > 1 ? msg('audit.admin.titlePage', { page }) : msg('audit.admin.title'),
        values: { person: raw('person'), from: raw('from'), to: raw('to') },
        hidden: filter ? filterPairs({ actor: filter.actor, subject: filter.subject }) : [],
        exportFields: filter ? filterPairs(filter) : [],
        actionGroups: actionGroups(audit, filter ? filter.action : raw('action'), tr),
        errors: errors ?? {},
        errorList: errors ? errorSummary(errors, filterFieldOrder) : [],
        summary,
        total: result?.total ?? 0,
        items: result ? presentRows(result.items, people, audit, tr) : [],
        pagination: result
          ? pagination(result.page, result.pages, (n) => filterQuery(filter!, n), {
              previous: tr.t('common.pagination.previous'),
              next: tr.t('common.pagination.next'),
            })
          : null,
      },
      errors ? 400 : 200,
    );
  }

  app.get('/admin/audit', { onRequest: requireAdmin }, async (req, reply) => {
    const query = (req.query ?? {}) as Query;
    const v = validateForm(FilterSchema, query);
    return v.ok ? renderLog(reply, query, v.value, null) : renderLog(reply, query, null, v.errors);
  });

  // A POST (with the CSRF token) because the export is itself written to the audit log.
  app.post('/admin/audit/export', { onRequest: requireAdmin }, async (req, reply) => {
    const body = (req.body ?? {}) as Query;
    const v = validateForm(FilterSchema, body);
    if (!v.ok) return renderLog(reply, body, null, v.errors);
    const filter = serviceFilter(v.value);
    const rows = await audit.count(filter);
    await audit.record({
      actorUserId: req.currentUser!.id,
      action: 'audit.exported',
      details: { ...Object.fromEntries(filterPairs(v.value)), rows },
    });
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-log-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(csvLines(audit, filter, req.tr)));
  });
}

// The filters in words, for the line above the table.
function filterSummary(audit: AuditService, f: AuditFilterForm, people: Map<string, AccountLabel>, tr: Translator) {
  const s = (key: string, value: string) => ({ label: tr.t(`audit.admin.summary.${key}`), value });
  return [
    ...(f.person ? [s('person', f.person)] : []),
    ...(f.action ? [s('action', actionWords(audit, f.action, tr))] : []),
    ...(f.from ? [s('from', tr.date(londonDay(f.from.day)))] : []),
    ...(f.to ? [s('to', tr.date(londonDay(f.to.day)))] : []),
    ...(f.actor ? [s('actor', personText(personCell(f.actor, people, tr)))] : []),
    ...(f.subject ? [s('subject', personText(personCell(f.subject, people, tr)))] : []),
  ];
}

// Noon UTC is the same calendar day in the UK all year.
const londonDay = (d: { year: number; month: number; day: number }) => new Date(Date.UTC(d.year, d.month - 1, d.day, 12));

async function* csvLines(audit: AuditService, filter: ReturnType<typeof serviceFilter>, tr: Translator) {
  const h = (key: string) => tr.t(`audit.admin.csv.${key}`);
  yield '\uFEFF' + csvRow([h('when'), h('action'), h('actionCode'), h('by'), h('byId'), h('about'), h('aboutId'), h('details')]);
  for await (const batch of audit.batches(filter)) {
    const people = await audit.people(batch);
    yield batch
      .map((e) =>
        csvRow([
          e.at.toISOString(),
          actionWords(audit, e.action, tr),
          e.action,
          personText(personCell(e.actorUserId, people, tr)),
          e.actorUserId,
          personText(personCell(e.subjectUserId, people, tr)),
          e.subjectUserId,
          detailPairs(e.details)
            .map((d) => `${d.key}: ${d.value}`)
            .join('; '),
        ]),
      )
      .join('');
  }
}
