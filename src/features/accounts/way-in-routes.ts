import type { FastifyInstance } from 'fastify';
import { msg } from '#src/lib/messages.ts';

// Finding the way in and out: the "Sign in" link in every page's header leads to a page that offers
// contributors their ways of signing in and points staff to theirs; signing out (a POST from the
// header, staff-sign-in-routes.ts) ends on a page that says it happened.
export default async function wayInRoutes(app: FastifyInstance) {
  app.get('/sign-in/choose', async (req, reply) => {
    if (req.currentUser) return reply.redirect(req.currentUser.role === 'contributor' ? '/profile' : '/admin');
    return reply.render('accounts/views/sign-in-choose.njk', { pageTitle: msg('signingIn.choose.title') });
  });

  app.get('/signed-out', async (_req, reply) =>
    reply.render('accounts/views/signed-out.njk', { pageTitle: msg('signingIn.signedOut.title') }),
  );
}
