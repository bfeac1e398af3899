import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorSummary, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { safeNext } from '#src/lib/safe-next.ts';
import { SESSION_COOKIE_PREFIX } from '#src/platform/identity/better-auth.ts';
import { forwardCookies, toWebHeaders } from '#src/platform/identity/plugin.ts';

// better-auth answers a correct password for an account with two-factor sign-in on with
// { twoFactorRedirect: true } and a signed challenge cookie instead of a session.
export async function needsSecondStep(response: Response): Promise<boolean> {
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { twoFactorRedirect?: boolean } | null;
  return body?.twoFactorRedirect === true;
}

const CHALLENGE_COOKIE = `${SESSION_COOKIE_PREFIX}.two_factor=`;
const hasChallenge = (req: FastifyRequest) => !!req.headers.cookie?.includes(CHALLENGE_COOKIE);
// Six digits (spaces allowed, as apps show them in two groups) are a code from the app; anything
// else is read as a recovery code (xxxxx-xxxxx).
const appCode = (v: string) => (/^\d{3}\s?\d{3}$/.test(v) ? v.replace(/\s/g, '') : null);
const recoveryCode = (v: string) =>
  /^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/.test(v) ? (v.includes('-') ? v : `${v.slice(0, 5)}-${v.slice(5)}`) : null;

const secondStepLimit = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

// The second step of a staff sign-in: a 6-digit code from the authenticator app, or one of the
// recovery codes (each works once). Guesses are limited three ways: this route's limit per internet
// address, 5 wrong codes end the attempt (sign in with the password again), and 10 wrong codes in a
// row pause the account's codes for 15 minutes (better-auth's lockout).
export default async function twoFactorSignInRoutes(app: FastifyInstance) {
  const render = (reply: FastifyReply, next: string, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'accounts/views/two-factor-sign-in.njk',
      { pageTitle: msg('account.admin.twoFactor.signIn.title'), next, errors, errorList: errorSummary(errors) },
      status,
    );

  app.get<{ Querystring: { next?: string } }>('/sign-in/two-factor', async (req, reply) => {
    if (req.currentUser) return reply.redirect(safeNext(req.query.next, '/admin'));
    if (!hasChallenge(req)) return reply.redirect('/sign-in?expired=1');
    return render(reply, safeNext(req.query.next, '/admin'));
  });

  app.post('/sign-in/two-factor', secondStepLimit, async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const next = safeNext(body.next, '/admin');
    if (!hasChallenge(req)) return reply.redirect('/sign-in?expired=1', 303);
    const typed = typeof body.code === 'string' ? body.code.trim() : '';
    if (!typed) return render(reply, next, { code: msg('account.admin.twoFactor.signIn.errors.missing') }, 400);
    const totp = appCode(typed);
    const recovery = totp ? null : recoveryCode(typed);
    if (!totp && !recovery) return render(reply, next, { code: msg('account.admin.twoFactor.signIn.errors.format') }, 400);
    const headers = toWebHeaders(req);
    const response = totp
      ? await app.auth.api.verifyTOTP({ body: { code: totp }, headers, asResponse: true })
      : await app.auth.api.verifyBackupCode({ body: { code: recovery! }, headers, asResponse: true });
    forwardCookies(response, reply);
    if (response.ok) {
      if (recovery) req.log.info('signed in with a recovery code');
      return reply.redirect(next, 303);
    }
    const code = ((await response.json().catch(() => null)) as { code?: string } | null)?.code;
    req.log.info({ code }, 'two-factor code refused');
    if (code === 'ACCOUNT_TEMPORARILY_LOCKED')
      return render(reply, next, { code: msg('account.admin.twoFactor.signIn.errors.locked') }, 429);
    if (code === 'TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE' || code === 'INVALID_TWO_FACTOR_COOKIE')
      return reply.redirect('/sign-in?expired=1', 303);
    return render(reply, next, { code: msg('account.admin.twoFactor.signIn.errors.wrong') }, 400);
  });
}
