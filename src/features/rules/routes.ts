import type { FastifyInstance } from 'fastify';
import { errorSummary, trimmed } from '#src/lib/forms.ts';
import { localised, translationsToForm } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';

// /rules for everyone, in the page's language (English marked as such where there is no version);
// /admin/rules for admins to write the organisation's own.
export default async function rulesRoutes(app: FastifyInstance) {
  const { rules } = app.services;

  app.get('/rules', async (req, reply) => {
    const current = localised(await rules.get(), ['markdown'], req.lang);
    return reply.render('rules/views/rules.njk', {
      pageTitle: msg('rules.title'),
      rules: current,
      rulesHtml: rules.render(current.markdown),
      canonicalUrl: `${app.config.baseUrl}/rules`,
    });
  });

  await app.register(async (admin) => {
    admin.addHook('onRequest', requireAdmin);
    const form = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      pageTitle: msg('rules.admin.title'),
      values,
      errors: {},
      ...extra,
    });

    admin.get<{ Querystring: { saved?: string } }>('/admin/rules', async (req, reply) => {
      const current = await rules.get();
      const values = { markdown: current.markdown, ...translationsToForm(current.translations, ['markdown']) };
      return reply.render('rules/views/admin-rules.njk', form(values, { saved: req.query.saved === '1', isDefault: current.isDefault }));
    });

    admin.post('/admin/rules', async (req, reply) => {
      const body = trimmed(req.body);
      const result = await rules.update(body, req.currentUser!.id);
      if (!result.ok) {
        const extra = { errors: result.errors, errorList: errorSummary(result.errors, ['markdown', 'markdown_cy']) };
        return reply.render('rules/views/admin-rules.njk', form(body, extra), 400);
      }
      return reply.redirect('/admin/rules?saved=1', 303);
    });
  });
}
