import type { FastifyInstance } from 'fastify';
import { errorSummary, trimmed, validateForm } from '#src/lib/forms.ts';
import { localised, translationsToForm } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { moderationModes, SiteSettingsSchema } from '#src/platform/settings/service.ts';

const SETTINGS_FIELDS = ['name', 'welcome', 'welcome_cy', 'moderation', 'moderationEmail'];

export default async function siteRoutes(app: FastifyInstance) {
  const { settings, stories, opportunities } = app.services;

  app.get('/', async (req, reply) => {
    const [latest, org, openOpportunities] = await Promise.all([
      stories.listPublished({ page: 1, perPage: 5 }),
      settings.get(),
      opportunities.latestOpenPresented(3, req.tr),
    ]);
    return reply.render('site/views/home.njk', {
      // The welcome text in the page's language, or the English marked as such.
      welcome: localised(org, ['welcome'], req.lang),
      latest: latest.items.map((s) => localised(s, ['title', 'summary'], req.lang)),
      openOpportunities,
      canonicalUrl: `${app.config.baseUrl}/`,
    });
  });

  app.get('/privacy', async (_req, reply) => reply.render('site/views/privacy.njk', { pageTitle: msg('site.privacy.title') }));

  app.get<{ Querystring: { saved?: string } }>('/admin/settings', { onRequest: requireAdmin }, async (req, reply) => {
    const current = await settings.get();
    return reply.render('site/views/settings.njk', {
      pageTitle: msg('site.admin.settings.title'),
      values: { ...current, ...translationsToForm(current.translations, ['welcome']) },
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
          pageTitle: msg('site.admin.settings.title'),
          values: body,
          errors: result.errors,
          errorList: errorSummary(result.errors, SETTINGS_FIELDS),
          moderationModes,
        },
        400,
      );
    }
    await settings.update(result.value);
    return reply.redirect('/admin/settings?saved=1', 303);
  });
}
