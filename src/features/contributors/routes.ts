import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorSummary, trimmed, validateForm } from '#src/lib/forms.ts';
import { forwardCookies } from '#src/platform/identity/plugin.ts';
import { JoinSchema, SignInLinkSchema } from './schema.ts';

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
  const { contributors } = app.services;
  contributors.connectAuth(async ({ email, name, metadata }) => {
    await app.auth.api.signInMagicLink({ body: { email, name, metadata }, headers: new Headers() });
  });

  const alreadySignedIn = (req: FastifyRequest, reply: FastifyReply) =>
    req.currentUser ? reply.redirect(req.currentUser.role === 'contributor' ? '/profile' : '/admin') : null;

  app.get('/join', async (req, reply) => {
    return alreadySignedIn(req, reply) ?? reply.render('contributors/views/join.njk', { values: {}, errors: {} });
  });

  app.post('/join', publicFormLimit, async (req, reply) => {
    const body = trimmed(req.body);
    const result = validateForm(JoinSchema, body);
    if (!result.ok) {
      const errorList = errorSummary(result.errors, ['name', 'email', 'consent']);
      return reply.render('contributors/views/join.njk', { values: body, errors: result.errors, errorList }, 400);
    }
    await contributors.requestJoin(result.value);
    return reply.redirect('/join/check-email', 303);
  });

  app.get('/join/check-email', async (_req, reply) => reply.render('contributors/views/check-email.njk', { joining: true }));

  app.get('/sign-in/email', async (req, reply) => {
    return alreadySignedIn(req, reply) ?? reply.render('contributors/views/sign-in-email.njk', { values: {}, errors: {} });
  });

  app.post('/sign-in/email', publicFormLimit, async (req, reply) => {
    const body = trimmed(req.body);
    const result = validateForm(SignInLinkSchema, body);
    if (!result.ok) {
      return reply.render(
        'contributors/views/sign-in-email.njk',
        { values: body, errors: result.errors, errorList: errorSummary(result.errors) },
        400,
      );
    }
    // The same page follows whether or not the address has an account.
    await contributors.requestSignIn(result.value.email);
    return reply.redirect('/sign-in/email/check-email', 303);
  });

  app.get('/sign-in/email/check-email', async (_req, reply) => reply.render('contributors/views/check-email.njk', { joining: false }));

  app.get<{ Querystring: { token?: string } }>('/sign-in/continue', async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return reply.render('contributors/views/link-expired.njk', {}, 400);
    return reply.render('contributors/views/continue.njk', { token });
  });

  app.post('/sign-in/continue', publicFormLimit, async (req, reply) => {
    const raw = trimmed(req.body).token;
    const token = typeof raw === 'string' ? raw : '';
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return reply.render('contributors/views/link-expired.njk', {}, 400);
    const response = await app.auth.api.magicLinkVerify({ query: { token }, headers: minimalHeaders(req), asResponse: true });
    if (response.status !== 200) {
      req.log.info({ status: response.status }, 'email sign-in link refused');
      return reply.render('contributors/views/link-expired.njk', {}, 400);
    }
    const signedIn = (await response.json()) as { user: { id: string; email: string } };
    await contributors.completeSignIn(signedIn.user, token);
    forwardCookies(response, reply);
    return reply.redirect('/profile', 303);
  });
}

// Outside the profile area: by the time it shows, the person has no account.
export async function accountDeletedRoute(app: FastifyInstance) {
  app.get('/account-deleted', async (_req, reply) =>
    reply.render('contributors/views/deleted.njk', { pageTitle: 'Your account has been deleted' }),
  );
}
