import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { translationsToForm } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { measureKeys } from './evidence-measures.ts';
import type { FrameworkRow, StandardRow } from './standards-repository.ts';
import { frameworkFieldOrder, savedNotice, standardFieldOrder } from './standards-schema.ts';

const A = 'standardsStaff.admin';
const V = 'accountability/views/standards';
const BASE = '/admin/standards/frameworks';
type IdParams = { Params: { id: string } };
type StandardParams = { Params: { id: string; standardId: string } };

const frameworkValues = (f: FrameworkRow) => ({
  name: f.name,
  edition: f.edition ?? '',
  publisher: f.publisher ?? '',
  sourceUrl: f.sourceUrl ?? '',
  description: f.descriptionMarkdown,
  ...translationsToForm(f.translations, ['name', 'description']),
});
const standardValues = (s: StandardRow) => ({
  name: s.name,
  summary: s.summary,
  questions: s.questions.join('\n'),
  measures: s.measures,
  ...translationsToForm(s.translations, ['name', 'summary', 'questions']),
});

// Admins keep the frameworks of standards: list, add (a new edition or another framework), change
// the words, questions and measures of each standard, archive. Archived frameworks keep their
// rounds; no new round can use them.
export default async function standardsFrameworksRoutes(app: FastifyInstance) {
  const { standardsFrameworks: frameworks } = app.services;
  app.addHook('onRequest', requireAdmin);

  const findFramework = (raw: string) => frameworks.find(idOrNotFound(raw, 'framework'));

  async function renderFrameworkForm(
    reply: FastifyReply,
    f: FrameworkRow | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    return reply.render(
      `${V}/framework-form.njk`,
      {
        pageTitle: f ? msg(`${A}.frameworks.editTitle`, { name: f.name }) : msg(`${A}.frameworks.newTitle`),
        framework: f,
        values,
        errors,
        errorList: errorSummary(errors, frameworkFieldOrder),
        formAction: f ? `${BASE}/${f.id}/edit` : `${BASE}/new`,
      },
      status,
    );
  }

  async function renderStandardForm(
    reply: FastifyReply,
    f: FrameworkRow,
    s: StandardRow | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const chosen = new Set([values.measures ?? []].flat().map(String));
    return reply.render(
      `${V}/standard-form.njk`,
      {
        pageTitle: s ? msg(`${A}.standardForm.editTitle`, { name: s.name }) : msg(`${A}.standardForm.newTitle`, { framework: f.name }),
        framework: f,
        standard: s,
        values,
        errors,
        errorList: errorSummary(errors, standardFieldOrder),
        formAction: s ? `${BASE}/${f.id}/standards/${s.id}` : `${BASE}/${f.id}/standards/new`,
        measureItems: measureKeys.map((k) => ({ value: k, text: t(`${A}.measureNames.${k}`), checked: chosen.has(k) })),
      },
      status,
    );
  }

  app.get<{ Querystring: { saved?: unknown } }>(BASE, async (req, reply) =>
    reply.render(`${V}/frameworks.njk`, {
      pageTitle: msg(`${A}.frameworks.title`),
      frameworks: await frameworks.list(true),
      saved: savedNotice(req.query),
    }),
  );

  app.get(`${BASE}/new`, async (_req, reply) => renderFrameworkForm(reply, null, {}));
  app.post(`${BASE}/new`, async (req, reply) => {
    const form = trimmed(req.body);
    const result = await frameworks.create(form);
    if (!result.ok) return renderFrameworkForm(reply, null, form, result.errors, 400);
    return reply.redirect(`${BASE}/${result.value.id}?saved=created`, 303);
  });

  app.get<IdParams & { Querystring: { saved?: unknown } }>(`${BASE}/:id`, async (req, reply) => {
    const f = await findFramework(req.params.id);
    return reply.render(`${V}/framework.njk`, {
      pageTitle: msg(`${A}.framework.title`, { name: f.name }),
      framework: f,
      standards: await frameworks.standardsOf(f.id),
      saved: savedNotice(req.query),
    });
  });

  app.get<IdParams>(`${BASE}/:id/edit`, async (req, reply) => {
    const f = await findFramework(req.params.id);
    return renderFrameworkForm(reply, f, frameworkValues(f));
  });
  app.post<IdParams>(`${BASE}/:id/edit`, async (req, reply) => {
    const f = await findFramework(req.params.id);
    const form = trimmed(req.body);
    const result = await frameworks.update(f, form);
    if (!result.ok) return renderFrameworkForm(reply, f, form, result.errors, 400);
    return reply.redirect(`${BASE}/${f.id}?saved=changed`, 303);
  });

  app.post<IdParams>(`${BASE}/:id/archive`, async (req, reply) => {
    const f = await findFramework(req.params.id);
    await frameworks.setArchived(f, !f.archivedAt);
    return reply.redirect(`${BASE}/${f.id}?saved=${f.archivedAt ? 'restored' : 'archived'}`, 303);
  });

  app.get<IdParams>(`${BASE}/:id/standards/new`, async (req, reply) => {
    const f = await findFramework(req.params.id);
    return renderStandardForm(reply, f, null, {});
  });
  app.post<IdParams>(`${BASE}/:id/standards/new`, async (req, reply) => {
    const f = await findFramework(req.params.id);
    const form = trimmed(req.body);
    const result = await frameworks.addStandard(f, form);
    if (!result.ok) return renderStandardForm(reply, f, null, form, result.errors, 400);
    return reply.redirect(`${BASE}/${f.id}?saved=standard-added`, 303);
  });

  app.get<StandardParams>(`${BASE}/:id/standards/:standardId`, async (req, reply) => {
    const f = await findFramework(req.params.id);
    const s = await frameworks.findStandard(f, idOrNotFound(req.params.standardId, 'standard'));
    return renderStandardForm(reply, f, s, standardValues(s));
  });
  app.post<StandardParams>(`${BASE}/:id/standards/:standardId`, async (req, reply) => {
    const f = await findFramework(req.params.id);
    const s = await frameworks.findStandard(f, idOrNotFound(req.params.standardId, 'standard'));
    const form = trimmed(req.body);
    const result = await frameworks.updateStandard(s, form);
    if (!result.ok) return renderStandardForm(reply, f, s, form, result.errors, 400);
    return reply.redirect(`${BASE}/${f.id}?saved=standard-changed`, 303);
  });
}
