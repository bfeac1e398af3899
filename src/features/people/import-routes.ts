import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { errorSummary, type FieldErrors } from '#src/lib/forms.ts';
import { csvUploadRoutes, UNREADABLE_UPLOAD, unreadableUpload, uploadedCsv } from '#src/platform/jobs/csv-upload.ts';
import { importView } from '#src/platform/jobs/import-report.ts';
import { rejectedCsv } from '#src/platform/jobs/import-rows.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { IGNORE, importFields } from './import-fields.ts';

type IdParams = { Params: { id: string } };
const V = 'people/views';
const BASE = '/admin/people/import';
const parseImportId = (raw: string) => idOrNotFound(raw, 'import');
const fieldItems = (tr: Translator, selected: string) => [
  { value: IGNORE, text: tr.t('people.admin.import.columns.ignore'), selected: selected === IGNORE },
  ...importFields.map((f) => ({
    value: f.key,
    text: f.required ? `${tr.t(f.text)} ${tr.t('people.admin.import.needed')}` : tr.t(f.text),
    selected: selected === f.key,
  })),
];

// Importing an existing register (admins and involvement staff): upload, map columns, confirm,
// then watch the background job and read its report. Static paths under /admin/people/import,
// so they never clash with a person's page at /admin/people/:id.
export default async function registerImportRoutes(app: FastifyInstance) {
  const { registerImports } = app.services;
  app.addHook('onRequest', requireRegisterAccess);

  await csvUploadRoutes(app, (uploads) => {
    const renderUpload = async (reply: FastifyReply, errors?: FieldErrors) =>
      reply.render(
        `${V}/import-upload.njk`,
        {
          pageTitle: msg('people.admin.import.upload.title'),
          fields: importFields,
          recent: await registerImports.recent(),
          errors: errors ?? {},
          errorList: errors ? errorSummary(errors, ['file']) : [],
        },
        errors ? 400 : 200,
      );

    uploads.get(BASE, async (_req, reply) => renderUpload(reply));

    uploads.post(BASE, async (req, reply) => {
      if (unreadableUpload(req.body)) return renderUpload(reply, { file: UNREADABLE_UPLOAD });
      const upload = uploadedCsv(req.body);
      if (!upload) return renderUpload(reply, { file: msg('people.admin.import.upload.missing') });
      const outcome = await registerImports.upload(upload.text, { filename: upload.filename, staffUserId: req.currentUser!.id });
      if (!outcome.ok) return renderUpload(reply, { file: outcome.error });
      return reply.redirect(`${BASE}/${outcome.importId}/columns`, 303);
    });
  });

  const renderMapping = async (reply: FastifyReply, id: number, chosen?: string[], errors?: FieldErrors) => {
    const draft = await registerImports.draftForMapping(id);
    if (!draft) throw notFound('import');
    const current = chosen ?? draft.mapping;
    const errorList = errors ? errorSummary(errors).map((e) => (e.href.startsWith('#field-') ? { ...e, href: '#column-0' } : e)) : [];
    return reply.render(
      `${V}/import-columns.njk`,
      {
        pageTitle: msg('people.admin.import.columns.title'),
        draft,
        columns: draft.header.map((name, i) => ({
          name: name || reply.request.tr.t('people.admin.import.columns.unnamed', { n: i + 1 }),
          id: `column-${i}`,
          items: fieldItems(reply.request.tr, current[i] ?? IGNORE),
          examples: draft.examples[i] ?? [],
        })),
        errors: errors ?? {},
        errorList,
        fieldErrors: Object.entries(errors ?? {})
          .filter(([k]) => k.startsWith('field-'))
          .map(([, v]) => v),
      },
      errors ? 400 : 200,
    );
  };

  app.get<IdParams>(`${BASE}/:id/columns`, async (req, reply) => renderMapping(reply, parseImportId(req.params.id)));

  app.post<IdParams>(`${BASE}/:id/columns`, async (req, reply) => {
    const id = parseImportId(req.params.id);
    const saved = await registerImports.saveMapping(id, (req.body ?? {}) as Record<string, unknown>);
    if (!saved.ok && saved.missing) throw notFound('import');
    if (!saved.ok) return renderMapping(reply, id, saved.chosen, saved.errors);
    return reply.redirect(`${BASE}/${id}/confirm`, 303);
  });

  app.get<IdParams>(`${BASE}/:id/confirm`, async (req, reply) => {
    const id = parseImportId(req.params.id);
    const draft = await registerImports.draftForMapping(id);
    if (!draft) throw notFound('import');
    const { t } = req.tr;
    const textOf = new Map<string, string>(importFields.map((f) => [f.key, f.text]));
    const ignored = t('people.admin.import.confirm.ignored');
    return reply.render(`${V}/import-confirm.njk`, {
      pageTitle: msg('people.admin.import.confirm.title'),
      draft,
      rows: draft.header.map((name, i) => {
        const field = draft.mapping[i] === IGNORE ? undefined : textOf.get(draft.mapping[i] ?? '');
        return {
          key: { text: name || t('people.admin.import.columns.unnamed', { n: i + 1 }) },
          value: { text: field ? t(field) : ignored },
        };
      }),
    });
  });

  app.post<IdParams>(`${BASE}/:id/confirm`, async (req, reply) => {
    const id = parseImportId(req.params.id);
    if (await registerImports.confirm(id, req.currentUser!.id)) return reply.redirect(`${BASE}/${id}`, 303);
    // Already started (a second press), or the columns are not yet right.
    const job = await registerImports.get(id);
    if (!job) throw notFound('import');
    return reply.redirect(job.status === 'draft' ? `${BASE}/${id}/columns` : `${BASE}/${id}`, 303);
  });

  const started = async (raw: string) => {
    const job = await registerImports.get(parseImportId(raw));
    if (!job || job.status === 'draft') throw notFound('import');
    return job;
  };

  app.get<IdParams>(`${BASE}/:id`, async (req, reply) => {
    const job = await started(req.params.id);
    return reply.header('cache-control', 'no-store').render(`${V}/import-progress.njk`, {
      pageTitle: msg(job.status === 'done' ? 'people.admin.import.progress.done' : 'people.admin.import.progress.running'),
      ...importView(job, `${BASE}/${job.id}/rejected.csv`),
    });
  });

  app.get<IdParams>(`${BASE}/:id/rejected.csv`, async (req, reply) => {
    const job = await started(req.params.id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="register-import-${job.id}-rejected-rows.csv"`)
      .header('cache-control', 'no-store')
      .send(rejectedCsv(job.rejected, req.tr.message));
  });
}
