import type { FastifyInstance } from 'fastify';
import { errorSummary, trimmed } from '#src/lib/forms.ts';
import { forwardCookies, requireContributor, toWebHeaders } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { PRIVACY_NOTICE_VERSION } from './schema.ts';
import { msg } from '#src/lib/messages.ts';

// A contributor sees or downloads everything held about them, and deletes their account.
export default async function dataRightsRoutes(app: FastifyInstance) {
  const { dataRights } = app.services;

  await app.register(async (own) => {
    own.addHook('onRequest', requireContributor);
    const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

    own.get('/profile/data', async (req, reply) => {
      const data = await dataRights.exportData(me(req).id);
      await dataRights.recordDownload(me(req).id, 'page');
      return reply.render('data-rights/views/data.njk', {
        pageTitle: msg('dataRights.data.title'),
        data,
        sections: dataRights.sections(),
        // Each audit action's words (catalogue keys declared by the features' manifests).
        actionWords: app.services.audit.actions,
        privacyVersion: PRIVACY_NOTICE_VERSION,
      });
    });

    own.get('/profile/data.json', async (req, reply) => {
      const data = await dataRights.exportData(me(req).id);
      await dataRights.recordDownload(me(req).id, 'json');
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="my-data.json"')
        .header('cache-control', 'no-store')
        .send(JSON.stringify(data, null, 2));
    });

    own.get('/profile/delete', async (_req, reply) =>
      reply.render('data-rights/views/delete.njk', { pageTitle: msg('dataRights.delete.title'), errors: {} }),
    );

    own.post('/profile/delete', async (req, reply) => {
      const body = trimmed(req.body);
      if (body.confirm !== 'yes') {
        const errors = { confirm: msg('dataRights.delete.confirm.missing') };
        return reply.render(
          'data-rights/views/delete.njk',
          { pageTitle: msg('dataRights.delete.title'), errors, errorList: errorSummary(errors) },
          400,
        );
      }
      const user = me(req);
      const out = await app.auth.api.signOut({ headers: toWebHeaders(req), asResponse: true });
      await dataRights.deleteAccount(user, req.lang);
      forwardCookies(out, reply);
      return reply.redirect('/account-deleted', 303);
    });
  });

  // Outside the contributor's own pages: by the time it shows, the person has no account.
  app.get('/account-deleted', async (_req, reply) =>
    reply.render('data-rights/views/deleted.njk', { pageTitle: msg('dataRights.deleted.title') }),
  );
}
