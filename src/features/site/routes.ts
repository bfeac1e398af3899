import type { FastifyInstance } from 'fastify';
import { errorSummary, trimmed, validateForm } from '#src/lib/forms.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { moderationModes, SiteSettingsSchema } from '#src/platform/settings/service.ts';

export default async function siteRoutes(app: FastifyInstance) {
  const { settings, stories } = app.services;

  app.get('/', async (_req, reply) => {
    const latest = await stories.listPublished({ page: 1, perPage: 5 });
    return reply.render('site/views/home.njk', { latest: latest.items, canonicalUrl: `${app.config.baseUrl}/` });
  });

  app.get('/privacy', async (_req, reply) => reply.render('site/views/privacy.njk', { pageTitle: 'Privacy notice' }));

  app.get<{ Querystring: { saved?: string } }>('/admin/settings', { onRequest: requireAdmin }, async (req, reply) => {
    return reply.render('site/views/settings.njk', {
      pageTitle: 'Settings',
      values: await settings.get(),
      moderationModes,
      saved: req.query.saved === '1',
    });
  });

  app.post('/admin/settings', { onRequest: requireAdmin }, async (req, reply) => {
    const body = trimmed(req.body);
    const result = validateForm(SiteSettingsSchema, body);
    if (!result.ok) {
      return reply.render(
        'site/views/settings.njk',
        {
          pageTitle: 'Settings',
          values: body,
          errors: result.errors,
          errorList: errorSummary(result.errors, ['name', 'welcome', 'moderation', 'moderationEmail']),
          moderationModes,
        },
        400,
      );
    }
    await settings.update(result.value);
    return reply.redirect('/admin/settings?saved=1', 303);
  });
}
