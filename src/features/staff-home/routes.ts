import type { FastifyInstance } from 'fastify';
import { isAdmin, isStaff, canSeeRegister } from '#src/platform/identity/roles.ts';

// The staff landing page: what is waiting for them, counted by each feature that has work, and a
// card for every staff area the features add, as this person's role allows.
export default async function staffHomeRoutes(app: FastifyInstance) {
  app.get('/admin', async (req, reply) => {
    const user = req.currentUser;
    if (!user) return reply.redirect('/sign-in?next=/admin');
    if (!isStaff(user)) return reply.render('errors/403.njk', { pageTitle: 'You cannot see this page' }, 403);
    const ctx = app.featureContext;
    const counts = (await Promise.all(ctx.extensions.adminSummaries.map((summary) => summary(ctx, user)))).flat();
    const links = ctx.extensions.nav.admin.filter((l) => (!l.adminOnly || isAdmin(user)) && (!l.registerOnly || canSeeRegister(user)));
    reply.header('cache-control', 'no-store');
    return reply.render('staff-home/views/home.njk', { pageTitle: 'Staff area', waiting: counts.filter((c) => c.count > 0), links });
  });
}
