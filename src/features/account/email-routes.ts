import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireStaffAccount } from '#src/platform/identity/plugin.ts';

const tokenOf = (v: unknown) => (typeof v === 'string' && /^[A-Za-z0-9_-]{32,64}$/.test(v) ? v : null);
const limited = { config: { rateLimit: { max: 10, timeWindow: '15 minutes' } } };

// Changing the email address a member of staff signs in with. The link goes to the new address and
// opens a page with a button (a link scanner that follows it changes nothing); it works without
// being signed in, because the link itself proves the address.
export default async function accountEmailRoutes(app: FastifyInstance) {
  const { staffAccount } = app.services;

  const renderForm = (reply: FastifyReply, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    reply.render(
      'account/views/email.njk',
      { pageTitle: msg('account.admin.email.title'), values, errors, errorList: errorSummary(errors) },
      status,
    );

  app.get('/account/email', { onRequest: requireStaffAccount }, async (req, reply) =>
    renderForm(reply, { current: req.currentUser!.email }),
  );

  app.post('/account/email', { onRequest: requireStaffAccount, ...limited }, async (req, reply) => {
    const form = trimmed(req.body);
    const result = await staffAccount.requestEmailChange(req.currentUser!, form, req.tr);
    if (!result.ok) return renderForm(reply, { ...form, current: req.currentUser!.email }, result.errors, 400);
    return reply.redirect('/account?saved=email-sent', 303);
  });

  const expired = (reply: FastifyReply) =>
    reply.render('account/views/email-link-expired.njk', { pageTitle: msg('account.admin.email.expired.title') }, 400);

  app.get<{ Querystring: { token?: string } }>('/account/email/confirm', async (req, reply) => {
    const token = tokenOf(req.query.token);
    if (!token) return expired(reply);
    return reply.render('account/views/email-confirm.njk', { pageTitle: msg('account.admin.email.confirm.title'), token });
  });

  app.post('/account/email/confirm', limited, async (req, reply) => {
    const token = tokenOf(trimmed(req.body).token);
    if (!token) return expired(reply);
    const outcome = await staffAccount.confirmEmailChange(token, req.tr);
    if (outcome === 'expired') return expired(reply);
    if (outcome === 'taken')
      return reply.render('account/views/email-link-expired.njk', { pageTitle: msg('account.admin.email.taken'), taken: true }, 409);
    return reply.redirect(req.currentUser ? '/account?saved=email-changed' : '/sign-in', 303);
  });
}
