import type { FastifyInstance } from 'fastify';
import { isAdmin, isStaff, canSeeFinance, canSeeRegister } from '#src/platform/identity/roles.ts';
import { msg } from '#src/lib/messages.ts';
import { requireTwoFactorWhenRequired } from '#src/platform/identity/plugin.ts';

// The staff landing page: a card for every staff area the features add, as this person's role
// allows, each showing what is waiting there (counted by the feature that owns the work).
export default async function staffHomeRoutes(app: FastifyInstance) {
  app.get('/admin', { onRequest: requireTwoFactorWhenRequired }, async (req, reply) => {
    const user = req.currentUser;
    if (!user) return reply.redirect('/sign-in?next=/admin');
    if (!isStaff(user)) return reply.render('errors/403.njk', { pageTitle: msg('errors.403.title') }, 403);
    const ctx = app.featureContext;
    const counts = (await Promise.all(ctx.extensions.adminSummaries.map((summary) => summary(ctx, user)))).flat();
    const waiting = counts.filter((c) => c.count > 0);
    // Each count shows on the card of the area it belongs to (the one its link leads into).
    const links = ctx.extensions.nav.admin
      .filter(
        (l) => (!l.adminOnly || isAdmin(user)) && (!l.registerOnly || canSeeRegister(user)) && (!l.financeOnly || canSeeFinance(user)),
      )
      .map((l) => ({ ...l, waiting: waiting.filter((c) => c.href.split('?')[0] === l.href) }));
    reply.header('cache-control', 'no-store');
    return reply.render('staff-home/views/home.njk', { pageTitle: msg('staff-home.admin.title'), links, waitingTotal: waiting.length });
  });
}
