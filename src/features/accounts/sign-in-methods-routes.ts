import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { errorSummary, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { forwardCookies, toWebHeaders } from '#src/platform/identity/plugin.ts';
import { isContributor, type CurrentUser } from '#src/platform/identity/roles.ts';
import {
  checkNewPassword,
  createSignInMethods,
  MAX_PASSKEY_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  type SignInChange,
} from './sign-in-methods-service.ts';

const BASE = '/profile/sign-in-methods';
// Wrong current passwords and passkey ceremonies are limited like the sign-in forms.
const limited = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

// Staff accounts keep their own sign-in rules (a password set by an admin, later two-factor), so
// this page is for contributors only. The JSON routes answer in JSON; the pages with pages.
const requireContributor: onRequestAsyncHookHandler = async (req, reply) => {
  const json = req.url.startsWith(`${BASE}/passkeys/`) && req.method === 'POST' && !req.url.endsWith('/remove');
  if (!req.currentUser)
    return json ? reply.code(401).send({ message: req.tr.t('accounts.passkey.signInFirst') }) : reply.redirect('/sign-in/email');
  if (!isContributor(req.currentUser)) {
    return json
      ? reply.code(403).send({ message: req.tr.t('accounts.passkey.notForThisAccount') })
      : reply.render('errors/403.njk', { pageTitle: msg('errors.403.title') }, 403);
  }
};

const savedMessages: Record<SignInChange, string> = {
  'password-added': 'accounts.methods.saved.passwordAdded',
  'password-changed': 'accounts.methods.saved.passwordChanged',
  'password-removed': 'accounts.methods.saved.passwordRemoved',
  'passkey-added': 'accounts.methods.saved.passkeyAdded',
  'passkey-removed': 'accounts.methods.saved.passkeyRemoved',
};

const rawField = (body: unknown, name: string) => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
};
const passkeyId = (v: unknown) => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : null);

export default async function signInMethodsRoutes(app: FastifyInstance) {
  const methods = createSignInMethods({ auth: app.auth, mail: app.services.mail, settings: app.services.settings, config: app.config });
  app.addHook('onRequest', requireContributor);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  app.get<{ Querystring: { saved?: string } }>(BASE, async (req, reply) => {
    const [hasPassword, passkeys] = await Promise.all([methods.hasPassword(me(req).id), methods.passkeys(req)]);
    const saved = savedMessages[req.query.saved as SignInChange];
    return reply.render('accounts/views/sign-in-methods.njk', {
      pageTitle: msg('accounts.methods.title'),
      email: me(req).email,
      hasPassword,
      passkeys,
      saved,
      maxName: MAX_PASSKEY_NAME_LENGTH,
    });
  });

  // Adding and changing a password share one form; changing also asks for the current one.
  const renderPassword = (reply: FastifyReply, changing: boolean, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'accounts/views/sign-in-methods-password.njk',
      {
        pageTitle: msg(changing ? 'accounts.methods.password.changeTitle' : 'accounts.methods.password.addTitle'),
        changing,
        errors,
        errorList: errorSummary(errors, ['currentPassword', 'password', 'confirmPassword']),
      },
      status,
    );

  app.get(`${BASE}/password/add`, async (req, reply) =>
    (await methods.hasPassword(me(req).id)) ? reply.redirect(`${BASE}/password/change`) : renderPassword(reply, false),
  );

  app.post(`${BASE}/password/add`, async (req, reply) => {
    if (await methods.hasPassword(me(req).id)) return reply.redirect(`${BASE}/password/change`, 303);
    const checked = checkNewPassword(req.body as Record<string, unknown>, me(req).email);
    if (!checked.ok) return renderPassword(reply, false, checked.errors, 400);
    await methods.addPassword(req, checked.password);
    await methods.notify(me(req), 'password-added', req.tr);
    return reply.redirect(`${BASE}?saved=password-added`, 303);
  });

  app.get(`${BASE}/password/change`, async (req, reply) =>
    (await methods.hasPassword(me(req).id)) ? renderPassword(reply, true) : reply.redirect(`${BASE}/password/add`),
  );

  app.post(`${BASE}/password/change`, limited, async (req, reply) => {
    if (!(await methods.hasPassword(me(req).id))) return reply.redirect(`${BASE}/password/add`, 303);
    const current = rawField(req.body, 'currentPassword');
    const checked = checkNewPassword(req.body as Record<string, unknown>, me(req).email);
    const errors: FieldErrors = {};
    if (!current) errors.currentPassword = msg('accounts.methods.errors.currentMissing');
    else if (current.length > MAX_PASSWORD_LENGTH) errors.currentPassword = msg('accounts.methods.errors.currentWrong');
    if (!checked.ok) Object.assign(errors, checked.errors);
    if (Object.keys(errors).length || !checked.ok) return renderPassword(reply, true, errors, 400);
    const response = await methods.changePassword(req, current, checked.password);
    if (!response) return renderPassword(reply, true, { currentPassword: msg('accounts.methods.errors.currentWrong') }, 400);
    forwardCookies(response, reply);
    await methods.notify(me(req), 'password-changed', req.tr);
    return reply.redirect(`${BASE}?saved=password-changed`, 303);
  });

  const renderRemove = (
    reply: FastifyReply,
    what: { title: string; action: string; thing: string; values?: Record<string, string> },
    errors: FieldErrors = {},
    status = 200,
  ) =>
    reply.render(
      'accounts/views/sign-in-methods-remove.njk',
      {
        pageTitle: what.title,
        action: what.action,
        thing: reply.request.tr.t(what.thing, what.values),
        errors,
        errorList: errorSummary(errors),
      },
      status,
    );
  const removePasswordPage = {
    title: msg('accounts.methods.remove.passwordTitle'),
    action: `${BASE}/password/remove`,
    thing: 'accounts.methods.remove.password',
  };

  app.get(`${BASE}/password/remove`, async (req, reply) =>
    (await methods.hasPassword(me(req).id)) ? renderRemove(reply, removePasswordPage) : reply.redirect(BASE),
  );

  app.post(`${BASE}/password/remove`, async (req, reply) => {
    if (!(await methods.hasPassword(me(req).id))) return reply.redirect(BASE, 303);
    if (rawField(req.body, 'confirm') !== 'yes')
      return renderRemove(reply, removePasswordPage, { confirm: msg('accounts.methods.errors.confirmRemovePassword') }, 400);
    await methods.removePassword(me(req).id);
    await methods.notify(me(req), 'password-removed', req.tr);
    return reply.redirect(`${BASE}?saved=password-removed`, 303);
  });

  const findPasskey = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const id = passkeyId(req.params.id);
    return id ? ((await methods.passkeys(req)).find((p) => p.id === id) ?? null) : null;
  };
  const removePasskeyPage = (p: { id: string; name: string }) => ({
    title: msg('accounts.methods.remove.passkeyTitle'),
    action: `${BASE}/passkeys/${p.id}/remove`,
    thing: 'accounts.methods.remove.passkey',
    values: { name: p.name },
  });

  app.get<{ Params: { id: string } }>(`${BASE}/passkeys/:id/remove`, async (req, reply) => {
    const found = await findPasskey(req);
    return found
      ? renderRemove(reply, removePasskeyPage(found))
      : reply.render('errors/404.njk', { pageTitle: msg('errors.404.title') }, 404);
  });

  app.post<{ Params: { id: string } }>(`${BASE}/passkeys/:id/remove`, async (req, reply) => {
    const found = await findPasskey(req);
    if (!found) return reply.render('errors/404.njk', { pageTitle: msg('errors.404.title') }, 404);
    if (rawField(req.body, 'confirm') !== 'yes')
      return renderRemove(reply, removePasskeyPage(found), { confirm: msg('accounts.methods.errors.confirmRemovePasskey') }, 400);
    if (!(await methods.removePasskey(req, found.id))) return reply.render('errors/404.njk', { pageTitle: msg('errors.404.title') }, 404);
    await methods.notify(me(req), 'passkey-removed', req.tr);
    return reply.redirect(`${BASE}?saved=passkey-removed`, 303);
  });

  // The passkey ceremony (JavaScript only): options from better-auth, the browser makes the key,
  // better-auth checks it. The challenge travels in better-auth's signed cookie.
  app.post(`${BASE}/passkeys/options`, limited, async (req, reply) => {
    const response = await app.auth.api.generatePasskeyRegistrationOptions({
      headers: toWebHeaders(req),
      query: { name: me(req).email },
      asResponse: true,
    });
    if (response.status === 403) return reply.code(403).send({ message: req.tr.t('accounts.passkey.signInAgain') });
    if (!response.ok) return reply.code(400).send({ message: req.tr.t('accounts.passkey.notAdded') });
    forwardCookies(response, reply);
    return reply.header('cache-control', 'no-store').send(await response.json());
  });

  app.post(`${BASE}/passkeys/verify`, limited, async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (name.length > MAX_PASSKEY_NAME_LENGTH)
      return reply.code(400).send({ message: req.tr.t('accounts.passkey.nameTooLong', { max: MAX_PASSKEY_NAME_LENGTH }) });
    if (!body.response || typeof body.response !== 'object')
      return reply.code(400).send({ message: req.tr.t('accounts.passkey.notAdded') });
    const added = req.tr.date(new Date());
    const response = await app.auth.api.verifyPasskeyRegistration({
      body: { response: body.response, name: name || req.tr.t('accounts.methods.passkeys.defaultName', { date: added }) },
      headers: toWebHeaders(req),
      asResponse: true,
    });
    forwardCookies(response, reply);
    if (!response.ok) {
      req.log.info({ status: response.status }, 'passkey registration refused');
      return reply.code(400).send({ message: req.tr.t('accounts.passkey.notAdded') });
    }
    await methods.notify(me(req), 'passkey-added', req.tr);
    return reply.send({ redirect: `${BASE}?saved=passkey-added` });
  });
}
