import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { SignInLinkSchema } from './schema.ts';
import { checkNewPassword } from './sign-in-methods-service.ts';
import { resetRequestAllowed } from './password-reset-limit.ts';

// Per internet address; each email address is limited too (password-reset-limit.ts).
const perAddress = { config: { rateLimit: { max: 10, timeWindow: '15 minutes' } } };
const tokenShape = /^[A-Za-z0-9_-]{16,128}$/;
const tokenOf = (v: unknown) => (typeof v === 'string' && tokenShape.test(v) ? v : null);

// "Forgotten your password?" for staff and for contributors who have set a password. The answer is
// the same page whether or not the address has an account (or a password); the emailed link opens a
// form to choose a new one, which ends every session of the account.
export default async function passwordResetRoutes(app: FastifyInstance) {
  const { passwordReset, passwordGuesses } = app.services;

  const renderAsk = (reply: FastifyReply, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'accounts/views/forgotten-password.njk',
      { pageTitle: msg('passwordReset.ask.title'), values, errors, errorList: errorSummary(errors) },
      status,
    );

  app.get('/forgotten-password', async (_req, reply) => renderAsk(reply, {}));

  app.post('/forgotten-password', perAddress, async (req, reply) => {
    const body = trimmed(req.body);
    const result = validateForm(SignInLinkSchema, body);
    if (!result.ok) return renderAsk(reply, body, result.errors, 400);
    // Over the limit for this address: nothing is sent, and the page says what it always says.
    if (await resetRequestAllowed(passwordGuesses.store, result.value.email)) await passwordReset.request(result.value.email, req.lang);
    else req.log.info('password reset limited for an address');
    return reply.redirect('/forgotten-password/check-email', 303);
  });

  app.get('/forgotten-password/check-email', async (_req, reply) =>
    reply.render('accounts/views/forgotten-password-sent.njk', { pageTitle: msg('passwordReset.sent.title') }),
  );

  const expired = (reply: FastifyReply) =>
    reply.render('accounts/views/reset-password-expired.njk', { pageTitle: msg('passwordReset.expired.title') }, 400);
  const renderChoose = (reply: FastifyReply, token: string, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'accounts/views/reset-password.njk',
      { pageTitle: msg('passwordReset.choose.title'), token, errors, errorList: errorSummary(errors, ['password', 'confirmPassword']) },
      status,
    );

  app.get<{ Querystring: { token?: string } }>('/reset-password', async (req, reply) => {
    const token = tokenOf(req.query.token);
    if (!token || !(await passwordReset.accountFor(token))) return expired(reply);
    return renderChoose(reply, token);
  });

  app.post('/reset-password', perAddress, async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const token = tokenOf(body.token);
    const account = token ? await passwordReset.accountFor(token) : null;
    if (!token || !account) return expired(reply);
    const checked = checkNewPassword(body, account.email);
    if (!checked.ok) return renderChoose(reply, token, checked.errors, 400);
    if (!(await passwordReset.complete(token, checked.password))) return expired(reply);
    req.log.info({ userId: account.userId }, 'password reset');
    await app.services.audit.record({ actorUserId: account.userId, action: 'account.password-reset', subjectUserId: account.userId });
    await passwordGuesses.succeeded(account.email);
    return reply.redirect(account.staff ? '/sign-in?reset=done' : '/sign-in/password?reset=done', 303);
  });
}
