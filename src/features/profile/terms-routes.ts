import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { notFound } from '#src/lib/errors.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { termCategories } from './schema.ts';
import { msg } from '#src/lib/messages.ts';
import { translationsToForm } from '#src/lib/localised.ts';

const parseTermId = (raw: string) => idOrNotFound(raw, 'term');

// Admins edit the lived experience taxonomy contributors choose from.
export default async function livedExperienceAdminRoutes(app: FastifyInstance) {
  const { profile } = app.services;
  app.addHook('onRequest', requireAdmin);

  const categoryItems = (reply: FastifyReply, selected: unknown) =>
    termCategories.map((c) => ({
      value: c.value,
      text: reply.request.tr.t(`profile.options.termCategories.${c.value}`),
      checked: selected === c.value,
    }));

  async function renderList(
    reply: FastifyReply,
    opts: { values?: Record<string, unknown>; errors?: FieldErrors; saved?: string } = {},
    status = 200,
  ) {
    const groups = profile
      .termsByCategory(await profile.terms(true))
      .map((g) => ({ ...g, text: reply.request.tr.t(`profile.options.termCategories.${g.value}`) }));
    const errors = opts.errors ?? {};
    return reply.render(
      'profile/views/admin/terms.njk',
      {
        pageTitle: msg('profile.admin.terms.title'),
        groups,
        values: opts.values ?? {},
        errors,
        errorList: errorSummary(errors, ['category', 'label']),
        categoryItems: categoryItems(reply, opts.values?.category),
        saved: opts.saved,
      },
      status,
    );
  }

  app.get<{ Querystring: { saved?: string } }>('/admin/lived-experience', async (req, reply) =>
    renderList(reply, { saved: req.query.saved }),
  );

  app.post('/admin/lived-experience', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await profile.addTerm(form);
    if (!result.ok) return renderList(reply, { values: form, errors: result.errors }, 400);
    return reply.redirect('/admin/lived-experience?saved=added', 303);
  });

  app.get<{ Params: { id: string } }>('/admin/lived-experience/:id', async (req, reply) => {
    const term = await profile.term(parseTermId(req.params.id));
    if (!term) throw notFound('term');
    return reply.render('profile/views/admin/term.njk', {
      pageTitle: msg('profile.admin.term.title', { label: term.label }),
      term,
      values: { ...term, ...translationsToForm(term.translations, ['label']) },
      errors: {},
      categoryItems: categoryItems(reply, term.category),
    });
  });

  app.post<{ Params: { id: string } }>('/admin/lived-experience/:id', async (req, reply) => {
    const term = await profile.term(parseTermId(req.params.id));
    if (!term) throw notFound('term');
    const form = trimmed(req.body);
    const result = await profile.renameTerm(term.id, form);
    if (!result.ok) {
      return reply.render(
        'profile/views/admin/term.njk',
        {
          pageTitle: msg('profile.admin.term.title', { label: term.label }),
          term,
          values: form,
          errors: result.errors,
          errorList: errorSummary(result.errors, ['category', 'label']),
          categoryItems: categoryItems(reply, form.category),
        },
        400,
      );
    }
    return reply.redirect('/admin/lived-experience?saved=changed', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/lived-experience/:id/archive', async (req, reply) => {
    const term = await profile.term(parseTermId(req.params.id));
    if (!term) throw notFound('term');
    const archive = trimmed(req.body).archived !== 'no';
    await profile.setArchived(term.id, archive);
    return reply.redirect(`/admin/lived-experience?saved=${archive ? 'archived' : 'restored'}`, 303);
  });
}
