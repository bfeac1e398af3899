import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { forwardCookies, toWebHeaders } from '#src/platform/identity/plugin.ts';
import type { StaffAccount } from '#src/platform/identity/staff-accounts.ts';

const V = 'staff-accounts/views';
type WithToken = { Params: { token: string } };

// The page an invited colleague reaches from their email: they choose a password and are signed
// in. A used, expired, cancelled or unknown link gets one friendly answer: ask an admin again.
export default async function invitationRoutes(app: FastifyInstance) {
  const { staffAccounts } = app.services;

  const expired = (reply: FastifyReply) =>
    reply.render(`${V}/invitation-expired.njk`, { pageTitle: msg('staff-accounts.invitation.expired.title') }, 410);

  const render = (reply: FastifyReply, token: string, account: StaffAccount, errors?: FieldErrors, status = 200) =>
    reply.render(
      `${V}/invitation.njk`,
      {
        pageTitle: msg('staff-accounts.invitation.pageTitle'),
        token,
        account,
        errors: errors ?? {},
        errorList: errors ? errorSummary(errors, ['password', 'confirmPassword']) : [],
      },
      status,
    );

  app.get<WithToken>('/staff-invitation/:token', async (req, reply) => {
    const found = await staffAccounts.invitation(req.params.token);
    if (found.state !== 'valid') return expired(reply);
    return render(reply, req.params.token, found.account);
  });

  app.post<WithToken>('/staff-invitation/:token', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (req, reply) => {
    const { token } = req.params;
    // Passwords are never trimmed: every character counts.
    const form = (req.body ?? {}) as Record<string, unknown>;
    const result = await staffAccounts.accept(token, form);
    if (result === 'expired') return expired(reply);
    if (!result.ok) {
      const found = await staffAccounts.invitation(token);
      if (found.state !== 'valid') return expired(reply);
      return render(reply, token, found.account, result.errors, 400);
    }
    const response = await app.auth.api.signInEmail({
      body: { email: result.value.email, password: result.value.password },
      headers: toWebHeaders(req),
      asResponse: true,
    });
    if (!response.ok) return reply.redirect('/sign-in?next=/admin', 303);
    forwardCookies(response, reply);
    return reply.redirect('/admin', 303);
  });
}
