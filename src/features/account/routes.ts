import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { forwardCookies, requireStaffAccount, toWebHeaders } from '#src/platform/identity/plugin.ts';
import { checkNewPassword, MAX_PASSWORD_LENGTH } from '#src/features/accounts/sign-in-methods-service.ts';

// What the account page says after a change (account.admin.saved.<key>).
const savedKeys = ['details', 'email-sent', 'email-changed', 'password', 'two-factor-off', 'requirement'] as const;
const limited = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

// Every member of staff's own account: /account. Reachable when two-factor sign-in is required but
// not yet set up (requireStaffAccount), so that they can set it up.
export default async function accountRoutes(app: FastifyInstance) {
  const { staffAccount, securitySettings } = app.services;
  app.addHook('onRequest', requireStaffAccount);

  app.get<{ Querystring: { saved?: string } }>('/account', async (req, reply) => {
    const me = req.currentUser!;
    const saved = (savedKeys as readonly string[]).includes(req.query.saved ?? '') ? `account.admin.saved.${req.query.saved}` : null;
    return reply.render('account/views/account.njk', {
      pageTitle: msg('account.admin.title'),
      me,
      saved,
      security: await securitySettings.get(),
    });
  });

  const renderDetails = (reply: FastifyReply, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'account/views/details.njk',
      { pageTitle: msg('account.admin.details.title'), values, errors, errorList: errorSummary(errors, ['name', 'jobTitle']) },
      status,
    );

  app.get('/account/details', async (req, reply) =>
    renderDetails(reply, { name: req.currentUser!.name, jobTitle: req.currentUser!.jobTitle }),
  );

  app.post('/account/details', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await staffAccount.saveDetails(req.currentUser!, form);
    if (!result.ok) return renderDetails(reply, form, result.errors, 400);
    return reply.redirect('/account?saved=details', 303);
  });

  const renderPassword = (reply: FastifyReply, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'account/views/password.njk',
      {
        pageTitle: msg('account.admin.password.title'),
        errors,
        errorList: errorSummary(errors, ['currentPassword', 'password', 'confirmPassword']),
      },
      status,
    );

  app.get('/account/password', async (_req, reply) => renderPassword(reply));

  // The current password is required; every other session of the account ends.
  app.post('/account/password', limited, async (req, reply) => {
    const me = req.currentUser!;
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const current = typeof body.currentPassword === 'string' ? body.currentPassword : '';
    const errors: FieldErrors = {};
    if (!current) errors.currentPassword = msg('accounts.errors.passwordMissing');
    else if (current.length > MAX_PASSWORD_LENGTH)
      errors.currentPassword = msg('accounts.errors.passwordTooLong', { max: MAX_PASSWORD_LENGTH });
    const checked = checkNewPassword(body, me.email);
    if (!checked.ok) Object.assign(errors, checked.errors);
    if (Object.keys(errors).length || !checked.ok) return renderPassword(reply, errors, 400);
    const response = await app.auth.api.changePassword({
      body: { currentPassword: current, newPassword: checked.password, revokeOtherSessions: true },
      headers: toWebHeaders(req),
      asResponse: true,
    });
    if (!response.ok) return renderPassword(reply, { currentPassword: msg('account.admin.password.errors.wrong') }, 400);
    forwardCookies(response, reply);
    await app.services.audit.record({ actorUserId: me.id, action: 'account.password-changed', subjectUserId: me.id });
    await staffAccount.tell(me.email, 'password-changed', req.tr);
    return reply.redirect('/account?saved=password', 303);
  });
}
