import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { csvUploadRoutes, UNREADABLE_UPLOAD, unreadableUpload, uploadedCsv } from '#src/platform/jobs/csv-upload.ts';
import { importView } from '#src/platform/jobs/import-report.ts';
import { rejectedCsv } from '#src/platform/jobs/import-rows.ts';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import { languages, type Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { num } from './admin-routes.ts';
import { MarkSchema, SubscriberQuerySchema } from './schema.ts';
import { subscriberStatuses } from './tables.ts';

type IdParams = { Params: { id: string } };
const V = 'newsletters/views/admin';
const A = 'newsletters.admin';
const PER_PAGE = 50;

export const statusLabel = (tr: Translator, status: string) => tr.t(`${A}.subscriberStatus.${status}`);
const languageName = (code: string) => languages.find((l) => l.code === code)?.name ?? code;

export default async function subscriberAdminRoutes(app: FastifyInstance) {
  const { admin, subscribers, topics } = app.services.newsletters;
  app.addHook('onRequest', requireStaff);

  const query = (raw: unknown) => {
    const parsed = SubscriberQuerySchema.safeParse(raw ?? {});
    return parsed.success ? parsed.data : null;
  };
  const qs = (q: { q: string; status: string }, page?: number) => {
    const p = new URLSearchParams();
    if (q.q) p.set('q', q.q);
    if (q.status) p.set('status', q.status);
    if (page && page > 1) p.set('page', String(page));
    const s = p.toString();
    return s ? `?${s}` : '';
  };

  app.get('/admin/newsletters/subscribers', async (req, reply) => {
    const q = query(req.query);
    if (!q) throw notFound();
    const found = await admin.search({ ...q, perPage: PER_PAGE });
    const pages = Math.max(1, Math.ceil(found.total / PER_PAGE));
    if (q.page > pages) throw notFound();
    const counts = await admin.counts();
    return reply.render(`${V}/subscribers.njk`, {
      pageTitle: msg(`${A}.subscribers.title`),
      section: 'subscribers',
      items: found.items.map((s) => ({ ...s, statusLabel: statusLabel(req.tr, s.status) })),
      total: num(found.total),
      totalN: found.total,
      query: q,
      statusItems: [
        { value: '', text: req.tr.t(`${A}.subscribers.anyStatus`), selected: !q.status },
        ...subscriberStatuses.map((s) => ({
          value: s,
          text: `${statusLabel(req.tr, s)} (${num(counts[s] ?? 0)})`,
          selected: q.status === s,
        })),
      ],
      page: q.page,
      pages,
      prevHref: q.page > 1 ? `/admin/newsletters/subscribers${qs(q, q.page - 1)}` : null,
      nextHref: q.page < pages ? `/admin/newsletters/subscribers${qs(q, q.page + 1)}` : null,
      exportHref: `/admin/newsletters/subscribers/export.csv${qs(q)}`,
      imports: await admin.recentImports(),
      deletions: await app.services.newsletters.manual.deletionsTotal(),
      deleted: (req.query as Record<string, unknown>).deleted === '1',
    });
  });

  app.get('/admin/newsletters/subscribers/export.csv', async (req, reply) => {
    const q = query(req.query);
    if (!q) throw notFound();
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="subscribers-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(admin.exportCsv(q)));
  });

  async function renderSubscriber(reply: FastifyReply, id: number, opts: { errors?: FieldErrors; outcome?: string; added?: boolean } = {}) {
    const s = await admin.get(id);
    if (!s) throw notFound('subscriber');
    const { tr } = reply.request;
    return reply.render(
      `${V}/subscriber.njk`,
      {
        pageTitle: s.email,
        section: 'subscribers',
        subscriber: { ...s, statusLabel: statusLabel(tr, s.status), languageName: languageName(s.language) },
        history: (await subscribers.history(id)).map((e) => ({ ...e, actionText: tr.t(`${A}.consentAction.${e.action}`) })),
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors) : [],
        outcome: opts.outcome,
        added: opts.added,
      },
      opts.errors ? 400 : 200,
    );
  }

  app.get<IdParams & { Querystring: { marked?: string; added?: string } }>('/admin/newsletters/subscribers/:id', async (req, reply) => {
    const id = parseId(req.params.id);
    if (!id) throw notFound('subscriber');
    return renderSubscriber(reply, id, {
      outcome: typeof req.query.marked === 'string' ? req.query.marked : undefined,
      added: req.query.added === '1',
    });
  });

  // Staff record a bounce or complaint reported to them (or an unsubscribe asked for by email).
  app.post<IdParams>('/admin/newsletters/subscribers/:id/mark', async (req, reply) => {
    const id = parseId(req.params.id);
    if (!id) throw notFound('subscriber');
    const v = validateForm(MarkSchema, trimmed(req.body));
    if (!v.ok) return renderSubscriber(reply, id, { errors: v.errors });
    const outcome = await subscribers.setStatus(id, v.value.type, {
      action: v.value.type,
      source: 'staff',
      detail: `Recorded by ${req.currentUser!.name}`,
      staffUserId: req.currentUser!.id,
    });
    if (outcome === 'missing') throw notFound('subscriber');
    return reply.redirect(`/admin/newsletters/subscribers/${id}?marked=${v.value.type}`, 303);
  });

  // --- import: multipart (a file) only here, so no other route accepts uploads ---
  await csvUploadRoutes(app, (uploads) => {
    const renderImport = (reply: FastifyReply, errors?: FieldErrors, values: Record<string, unknown> = {}) =>
      reply.render(
        `${V}/import.njk`,
        {
          pageTitle: msg(`${A}.import.title`),
          section: 'subscribers',
          values,
          errors: errors ?? {},
          errorList: errors ? errorSummary(errors, ['file', 'csv']) : [],
        },
        errors ? 400 : 200,
      );

    uploads.get('/admin/newsletters/subscribers/import', async (_req, reply) =>
      renderImport(reply, undefined, { topics: (await topics.active()).map((t) => t.name) }),
    );

    uploads.post('/admin/newsletters/subscribers/import', async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const pasted = typeof body.csv === 'string' ? body.csv.trim() : '';
      const activeNames = (await topics.active()).map((t) => t.name);
      if (unreadableUpload(body)) return renderImport(reply, { file: UNREADABLE_UPLOAD }, { topics: activeNames });
      const upload = uploadedCsv(body, 'csv');
      if (!upload) return renderImport(reply, { file: msg(`${A}.import.noFile`) }, { topics: activeNames });
      const outcome = await admin.startImport(upload.text, { filename: upload.filename, staffUserId: req.currentUser?.id ?? null });
      if (!outcome.ok) return renderImport(reply, { file: outcome.error }, { topics: activeNames, csv: pasted });
      return reply.redirect(`/admin/newsletters/imports/${outcome.importId}`, 303);
    });
  });

  // The import's progress while its job runs, then what became of every row.
  const importFor = async (raw: string) => {
    const id = parseId(raw);
    const report = id ? await admin.importReport(id) : undefined;
    if (!report || report.status === 'draft') throw notFound('import');
    return report;
  };

  app.get<IdParams>('/admin/newsletters/imports/:id', async (req, reply) => {
    const report = await importFor(req.params.id);
    return reply.header('cache-control', 'no-store').render(`${V}/import-report.njk`, {
      pageTitle: msg(`${A}.importReport.title`),
      section: 'subscribers',
      ...importView(report, `/admin/newsletters/imports/${report.id}/rejected.csv`),
    });
  });

  app.get<IdParams>('/admin/newsletters/imports/:id/rejected.csv', async (req, reply) => {
    const report = await importFor(req.params.id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="rejected-rows-import-${report.id}.csv"`)
      .header('cache-control', 'no-store')
      .send(rejectedCsv(report.rejected, req.tr.message));
  });

  // --- topics ---
  async function renderTopics(
    reply: FastifyReply,
    opts: { errors?: FieldErrors; values?: Record<string, unknown>; editing?: number; saved?: string } = {},
  ) {
    const savedKinds = ['added', 'renamed', 'archived', 'restored'];
    return reply.render(
      `${V}/topics.njk`,
      {
        pageTitle: msg(`${A}.topics.title`),
        section: 'topics',
        topics: (await topics.all()).map((t) => ({ ...t, nameCy: t.translations?.cy?.name ?? '' })),
        savedText: opts.saved && savedKinds.includes(opts.saved) ? reply.request.tr.t(`${A}.topics.saved.${opts.saved}`) : undefined,
        errors: opts.errors ?? {},
        errorList: opts.errors
          ? errorSummary(opts.errors).map((e) => ({ ...e, href: opts.editing ? `#name-${opts.editing}` : '#name' }))
          : [],
        values: opts.values ?? {},
        editing: opts.editing,
        saved: opts.saved,
      },
      opts.errors ? 400 : 200,
    );
  }

  app.get<{ Querystring: { saved?: string } }>('/admin/newsletters/topics', async (req, reply) =>
    renderTopics(reply, { saved: typeof req.query.saved === 'string' ? req.query.saved.slice(0, 20) : undefined }),
  );

  app.post('/admin/newsletters/topics', async (req, reply) => {
    const body = trimmed(req.body);
    const result = await topics.add(body);
    if (!result.ok) return renderTopics(reply, { errors: result.errors, values: body });
    return reply.redirect('/admin/newsletters/topics?saved=added', 303);
  });

  app.post<IdParams>('/admin/newsletters/topics/:id', async (req, reply) => {
    const id = parseId(req.params.id);
    if (!id) throw notFound('topic');
    const body = trimmed(req.body);
    const result = await topics.rename(id, body);
    if (!result.ok && 'missing' in result) throw notFound('topic');
    if (!result.ok) return renderTopics(reply, { errors: result.errors, values: body, editing: id });
    return reply.redirect('/admin/newsletters/topics?saved=renamed', 303);
  });

  for (const [path, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    app.post<IdParams>(`/admin/newsletters/topics/:id/${path}`, async (req, reply) => {
      const id = parseId(req.params.id);
      if (!id || !(await topics.setArchived(id, archived))) throw notFound('topic');
      return reply.redirect(`/admin/newsletters/topics?saved=${archived ? 'archived' : 'restored'}`, 303);
    });
  }
}
