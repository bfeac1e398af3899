import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorSummary, trimmed, validateForm } from '#src/lib/forms.ts';
import { forwardCookies } from '#src/platform/identity/plugin.ts';
import { JoinSchema, SignInLinkSchema } from './schema.ts';
import { chosenBeforeSignIn, followProfileLanguage } from './language-cookie.ts';
import { safeNext } from '#src/lib/safe-next.ts';

// Only what better-auth needs to record a session: who the browser says it is, not its cookies.
function minimalHeaders(req: FastifyRequest) {
  const headers = new Headers();
  const ua = req.headers['user-agent'];
  if (typeof ua === 'string') headers.set('user-agent', ua);
  return headers;
}

const publicFormLimit = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

// Joining and signing in by email link. The emailed link opens a page with a Continue button:
// a link scanner that follows it signs nobody in and uses up nothing.
export default async function contributorSignInRoutes(app: FastifyInstance) {
  const { accounts } = app.services;

  const alreadySignedIn = (req: FastifyRequest, reply: FastifyReply) =>
    req.currentUser ? reply.redirect(req.currentUser.role === 'contributor' ? '/profile' : '/admin') : null;

  // `next`: a page on this site to come back to once the emailed link is followed (an application).
  const nextOf = (v: unknown) => safeNext(v, '') || undefined;

  app.get<{ Querystring: { next?: string } }>('/join', async (req, reply) => {
    return alreadySignedIn(req, reply) ?? reply.render('accounts/views/join.njk', { values: { next: nextOf(req.query.next) }, errors: {} });
  });

  app.post('/join', publicFormLimit, async (req, reply) => {
    const body = trimmed(req.body);
    const result = validateForm(JoinSchema, body);
    if (!result.ok) {
      const errorList = errorSummary(result.errors, ['name', 'email', 'consent']);
      return reply.render('accounts/views/join.njk', { values: body, errors: result.errors, errorList }, 400);
    }
    await accounts.requestJoin(result.value, req.lang, nextOf(body.next));
    return reply.redirect('/join/check-email', 303);
  });

  app.get('/join/check-email', async (_req, reply) => reply.render('accounts/views/check-email.njk', { joining: true }));

  app.get<{ Querystring: { next?: string } }>('/sign-in/email', async (req, reply) => {
    return (
      alreadySignedIn(req, reply) ??
      reply.render('accounts/views/sign-in-email.njk', { values: { next: nextOf(req.query.next) }, errors: {} })
    );
  });

  app.post('/sign-in/email', publicFormLimit, async (req, reply) => {
    const body = trimmed(req.body);
    const result = validateForm(SignInLinkSchema, body);
    if (!result.ok) {
      return reply.render(
        'accounts/views/sign-in-email.njk',
        { values: body, errors: result.errors, errorList: errorSummary(result.errors) },
        400,
      );
    }
    // The same page follows whether or not the address has an account.
    await accounts.requestSignIn(result.value.email, req.lang, nextOf(body.next));
    return reply.redirect('/sign-in/email/check-email', 303);
  });

  app.get('/sign-in/email/check-email', async (_req, reply) => reply.render('accounts/views/check-email.njk', { joining: false }));

  app.get<{ Querystring: { token?: string } }>('/sign-in/continue', async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return reply.render('accounts/views/link-expired.njk', {}, 400);
    return reply.render('accounts/views/continue.njk', { token });
  });

  app.post('/sign-in/continue', publicFormLimit, async (req, reply) => {
    const raw = trimmed(req.body).token;
    const token = typeof raw === 'string' ? raw : '';
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return reply.render('accounts/views/link-expired.njk', {}, 400);
    const done = await accounts.completeSignIn(token, minimalHeaders(req), chosenBeforeSignIn(req));
    if (!done) {
      req.log.info('email sign-in link refused');
      return reply.render('accounts/views/link-expired.njk', {}, 400);
    }
    forwardCookies(done.response, reply);
    followProfileLanguage(req, reply, done.language, app.config.isProduction);
    return reply.redirect(safeNext(done.next, done.joined ? '/profile/welcome' : '/profile'), 303);
  });
}
