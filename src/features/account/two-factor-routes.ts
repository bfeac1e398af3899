import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderSVG } from 'uqr';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { isAdmin } from '#src/platform/identity/roles.ts';
import { forwardCookies, requireStaffAccount, toWebHeaders } from '#src/platform/identity/plugin.ts';
import { MAX_PASSWORD_LENGTH } from '#src/features/accounts/sign-in-methods-service.ts';
import { RequirementSchema } from './schema.ts';

const BASE = '/account/two-factor';
// Wrong passwords and codes are limited like the sign-in forms.
const limited = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

const field = (body: unknown, name: string) => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
};
const passwordError = (password: string) =>
  !password
    ? msg('accounts.errors.passwordMissing')
    : password.length > MAX_PASSWORD_LENGTH
      ? msg('accounts.errors.passwordTooLong', { max: MAX_PASSWORD_LENGTH })
      : null;
const totpUri = (v: string) => (/^otpauth:\/\/totp\/[^\s]{1,500}$/.test(v) ? v : null);

// The setup page shows the secret as a QR code (an inline SVG drawn here: nothing is fetched, so the
// CSP's img-src 'self' holds) and as text to type into an app that cannot scan.
function setupView(uri: string) {
  const secret = new URL(uri).searchParams.get('secret') ?? '';
  return { uri, qr: renderSVG(uri, { border: 2 }), secretGroups: secret.match(/.{1,4}/g) ?? [] };
}

// Two-factor sign-in for a member of staff: turn it on (password, then scan, then a code from the
// app), see recovery codes once, make new ones, turn it off. Admins also decide whether every member
// of staff must use it.
export default async function twoFactorRoutes(app: FastifyInstance) {
  const { audit, staffAccount, securitySettings, settings } = app.services;
  app.addHook('onRequest', requireStaffAccount);
  const me = (req: FastifyRequest) => req.currentUser!;

  const renderStatus = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'account/views/two-factor.njk',
      {
        pageTitle: msg('account.admin.twoFactor.title'),
        enabled: !!me(req).twoFactorEnabled,
        required: (await securitySettings.get()).requireTwoFactor,
        askedToSetUp: (req.query as { required?: string }).required === '1',
        errors,
        errorList: errorSummary(errors),
      },
      status,
    );
  const renderSetup = (reply: FastifyReply, uri: string, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'account/views/two-factor-setup.njk',
      { pageTitle: msg('account.admin.twoFactor.setup.title'), ...setupView(uri), errors, errorList: errorSummary(errors) },
      status,
    );
  const renderCodes = (reply: FastifyReply, codes: string[], fresh: boolean) =>
    reply.render('account/views/recovery-codes.njk', { pageTitle: msg('account.admin.twoFactor.codes.title'), codes, fresh });

  app.get(BASE, async (req, reply) => renderStatus(req, reply));

  // Step 1: the password, then better-auth makes the secret (not yet in use) and recovery codes.
  app.post(`${BASE}/start`, limited, async (req, reply) => {
    if (me(req).twoFactorEnabled) return reply.redirect(BASE, 303);
    const password = field(req.body, 'password');
    const missing = passwordError(password);
    if (missing) return renderStatus(req, reply, { password: missing }, 400);
    const org = await settings.get();
    const response = await app.auth.api.enableTwoFactor({
      body: { password, issuer: org.name },
      headers: toWebHeaders(req),
      asResponse: true,
    });
    if (!response.ok) return renderStatus(req, reply, { password: msg('account.admin.password.errors.wrong') }, 400);
    const { totpURI } = (await response.json()) as { totpURI: string };
    return renderSetup(reply, totpURI);
  });

  // Step 2: a code from the app proves it was set up; only then is two-factor sign-in on.
  app.post(`${BASE}/confirm`, limited, async (req, reply) => {
    const uri = totpUri(field(req.body, 'uri'));
    if (!uri) return reply.redirect(BASE, 303);
    const code = field(req.body, 'code').replace(/\s/g, '');
    if (!/^\d{6}$/.test(code))
      return renderSetup(
        reply,
        uri,
        { code: msg(code ? 'account.admin.twoFactor.setup.errors.format' : 'account.admin.twoFactor.setup.errors.missing') },
        400,
      );
    const response = await app.auth.api.verifyTOTP({ body: { code }, headers: toWebHeaders(req), asResponse: true });
    if (!response.ok) return renderSetup(reply, uri, { code: msg('account.admin.twoFactor.setup.errors.wrong') }, 400);
    forwardCookies(response, reply);
    await audit.record({ actorUserId: me(req).id, action: 'account.two-factor-on', subjectUserId: me(req).id });
    await staffAccount.tell(me(req).email, 'two-factor-on', req.tr);
    const { backupCodes } = await app.auth.api.viewBackupCodes({ body: { userId: me(req).id } });
    return renderCodes(reply, backupCodes, true);
  });

  // New recovery codes (the old ones stop working), shown once.
  app.post(`${BASE}/recovery-codes`, limited, async (req, reply) => {
    const password = field(req.body, 'password');
    const missing = passwordError(password);
    if (missing) return renderStatus(req, reply, { password: missing }, 400);
    const response = await app.auth.api.generateBackupCodes({ body: { password }, headers: toWebHeaders(req), asResponse: true });
    if (!response.ok) return renderStatus(req, reply, { password: msg('account.admin.password.errors.wrong') }, 400);
    const { backupCodes } = (await response.json()) as { backupCodes: string[] };
    await audit.record({ actorUserId: me(req).id, action: 'account.recovery-codes-renewed', subjectUserId: me(req).id });
    await staffAccount.tell(me(req).email, 'recovery-codes', req.tr);
    return renderCodes(reply, backupCodes, false);
  });

  app.post(`${BASE}/off`, limited, async (req, reply) => {
    if ((await securitySettings.get()).requireTwoFactor)
      return renderStatus(req, reply, { password: msg('account.admin.twoFactor.errors.requiredForAll') }, 409);
    const password = field(req.body, 'offPassword');
    const missing = passwordError(password);
    if (missing) return renderStatus(req, reply, { offPassword: missing }, 400);
    const response = await app.auth.api.disableTwoFactor({ body: { password }, headers: toWebHeaders(req), asResponse: true });
    if (!response.ok) return renderStatus(req, reply, { offPassword: msg('account.admin.password.errors.wrong') }, 400);
    forwardCookies(response, reply);
    await audit.record({ actorUserId: me(req).id, action: 'account.two-factor-off', subjectUserId: me(req).id });
    await staffAccount.tell(me(req).email, 'two-factor-off', req.tr);
    return reply.redirect('/account?saved=two-factor-off', 303);
  });

  // Admins only: whether every member of staff must use two-factor sign-in.
  app.post('/account/two-factor-requirement', async (req, reply) => {
    if (!isAdmin(me(req))) return reply.render('errors/403.njk', { pageTitle: msg('errors.403.title') }, 403);
    const result = validateForm(RequirementSchema, trimmed(req.body));
    if (!result.ok) {
      const view = { pageTitle: msg('account.admin.title'), me: me(req), security: await securitySettings.get() };
      return reply.render('account/views/account.njk', { ...view, errors: result.errors, errorList: errorSummary(result.errors) }, 400);
    }
    const requireTwoFactor = result.value.requireTwoFactor === 'yes';
    await securitySettings.update({ requireTwoFactor });
    await audit.record({
      actorUserId: me(req).id,
      action: requireTwoFactor ? 'account.two-factor-required' : 'account.two-factor-optional',
    });
    return reply.redirect('/account?saved=requirement', 303);
  });
}
