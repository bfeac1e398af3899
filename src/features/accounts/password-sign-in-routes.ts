import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { msg } from '#src/lib/messages.ts';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { errorSummary, validateForm } from '#src/lib/forms.ts';
import { forwardCookies } from '#src/platform/identity/plugin.ts';
import { signInWithPassword } from './password-sign-in.ts';
import { chosenBeforeSignIn, followProfileLanguage } from './language-cookie.ts';
import { TOO_MANY_GUESSES } from './password-guesses.ts';
import { needsSecondStep } from './two-factor-sign-in-routes.ts';
import { MAX_PASSWORD_LENGTH } from './sign-in-methods-service.ts';

// The password is not trimmed: it is checked exactly as typed.
const PasswordSignInSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, msg('fields.email.missing'))
    .max(320, msg('fields.email.format'))
    .pipe(z.email(msg('fields.email.format'))),
  password: z
    .string()
    .min(1, msg('accounts.errors.passwordMissing'))
    .max(MAX_PASSWORD_LENGTH, msg('accounts.errors.passwordTooLong', { max: MAX_PASSWORD_LENGTH })),
});

const signInLimit = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

// Only what better-auth needs to record a session and check a passkey: the browser's name for
// itself, the site it is on, and the passkey challenge cookie.
function passkeyHeaders(req: FastifyRequest) {
  const headers = new Headers();
  for (const name of ['user-agent', 'origin', 'cookie']) {
    const v = req.headers[name];
    if (typeof v === 'string') headers.set(name, v);
  }
  return headers;
}

// Contributors who have added a password or a passkey sign in here; the email link stays the
// default at /sign-in/email. Staff accounts cannot sign in here (they use /sign-in).
export default async function contributorPasswordSignInRoutes(app: FastifyInstance) {
  const render = (values: Record<string, unknown>, errors = {}) => ({
    pageTitle: msg('accounts.signInPassword.title'),
    values,
    errors,
    errorList: errorSummary(errors, ['email', 'password']),
  });

  app.get<{ Querystring: { reset?: string } }>('/sign-in/password', async (req, reply) => {
    if (req.currentUser) return reply.redirect(req.currentUser.role === 'contributor' ? '/profile' : '/admin');
    return reply.render('accounts/views/sign-in-password.njk', { ...render({}), passwordChanged: req.query.reset === 'done' });
  });

  app.post('/sign-in/password', signInLimit, async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const result = validateForm(PasswordSignInSchema, body);
    const values = { email: typeof body.email === 'string' ? body.email.trim() : '' };
    if (!result.ok) return reply.render('accounts/views/sign-in-password.njk', render(values, result.errors), 400);
    const response = await signInWithPassword(app.auth, req, 'contributor', result.value.email, result.value.password);
    if (response === 'limited') {
      return reply.render('accounts/views/sign-in-password.njk', render(values, { email: TOO_MANY_GUESSES }), 429);
    }
    if (!response) {
      // One message for an unknown address, a wrong password, an account with no password and
      // a staff account, so the form tells nobody who has an account.
      req.log.info('contributor password sign-in refused');
      const errors = { email: msg('accounts.errors.wrongPassword') };
      return reply.render('accounts/views/sign-in-password.njk', render(values, errors), 400);
    }
    forwardCookies(response, reply);
    // An account that was staff with two-factor sign-in keeps it after becoming a contributor.
    if (await needsSecondStep(response)) return reply.redirect('/sign-in/two-factor?next=%2Fprofile', 303);
    followProfileLanguage(req, reply, await app.services.accounts.languageOf(response, chosenBeforeSignIn(req)), app.config.isProduction);
    return reply.redirect('/profile', 303);
  });

  // Passkey sign-in (JavaScript only): a challenge for any passkey on this site, then the check.
  app.post('/sign-in/passkey/options', signInLimit, async (req, reply) => {
    const response = await app.auth.api.generatePasskeyAuthenticationOptions({ headers: passkeyHeaders(req), asResponse: true });
    if (!response.ok) return reply.code(400).send({ message: req.tr.t('accounts.passkey.signInUnavailable') });
    forwardCookies(response, reply);
    return reply.header('cache-control', 'no-store').send(await response.json());
  });

  app.post('/sign-in/passkey/verify', signInLimit, async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const credential = body.response;
    if (!credential || typeof credential !== 'object' || Array.isArray(credential))
      return reply.code(400).send({ message: req.tr.t('accounts.passkey.notRecognised') });
    const response = await app.auth.api.verifyPasskeyAuthentication({
      body: { response: credential as AuthenticationResponseJSON },
      headers: passkeyHeaders(req),
      asResponse: true,
    });
    if (!response.ok) {
      req.log.info({ status: response.status }, 'passkey sign-in refused');
      return reply.code(400).send({ message: req.tr.t('accounts.passkey.notRecognised') });
    }
    forwardCookies(response, reply);
    followProfileLanguage(req, reply, await app.services.accounts.languageOf(response, chosenBeforeSignIn(req)), app.config.isProduction);
    return reply.send({ redirect: '/profile' });
  });
}
