import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireAdmin } from '#src/platform/identity/plugin.ts';
import { INVITATION_DAYS, type StaffAccount } from '#src/platform/identity/staff-accounts.ts';
import { pageNumber } from './schema.ts';

const V = 'staff-accounts/views';
const K = 'staff-accounts.admin';
// What the page says after a change (post/redirect/get): only these words, never the address's.
const listDone = new Set(['cancelled']);
const accountDone = new Set(['invited', 'resent', 'role', 'deactivated', 'reactivated', 'twoFactorRemoved']);
const doneOf = (allowed: Set<string>, v: unknown) => (typeof v === 'string' && allowed.has(v) ? v : undefined);

type Form = { values?: Record<string, unknown>; errors?: FieldErrors };
type WithId = { Params: { id: string } };

// Staff accounts, for admins only: the list, inviting a colleague, a colleague's account (role,
// invitation, deactivation). The rules are the service's; here are the pages.
export default async function staffAccountsRoutes(app: FastifyInstance) {
  const { staffAccounts } = app.services;
  app.addHook('onRequest', requireAdmin);

  async function accountOr404(raw: string): Promise<StaffAccount> {
    const account = /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? await staffAccounts.find(raw) : null;
    if (!account) throw notFound('staff account');
    return account;
  }

  app.get<{ Querystring: { page?: string; done?: string } }>('/admin/users', async (req, reply) => {
    const found = await staffAccounts.list(pageNumber(req.query.page));
    const href = (n: number) => `/admin/users?page=${n}`;
    const { t } = req.tr;
    return reply.render(`${V}/users.njk`, {
      pageTitle: msg(`${K}.list.title`),
      ...found,
      done: doneOf(listDone, req.query.done),
      pagination:
        found.pages > 1
          ? {
              previous: found.page > 1 ? { href: href(found.page - 1), text: t('common.pagination.previous') } : undefined,
              next: found.page < found.pages ? { href: href(found.page + 1), text: t('common.pagination.next') } : undefined,
            }
          : null,
    });
  });

  const renderInvite = (reply: FastifyReply, form: Form = {}, status = 200) =>
    reply.render(
      `${V}/invite.njk`,
      {
        pageTitle: msg(`${K}.invite.title`),
        days: INVITATION_DAYS,
        values: form.values ?? {},
        errors: form.errors ?? {},
        errorList: form.errors ? errorSummary(form.errors, ['name', 'email', 'jobTitle', 'role']) : [],
      },
      status,
    );

  app.get('/admin/users/invite', async (_req, reply) => renderInvite(reply));

  app.post('/admin/users/invite', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await staffAccounts.invite(req.currentUser!, form, req.lang);
    if (!result.ok) return renderInvite(reply, { values: form, errors: result.errors }, 400);
    return reply.redirect(`/admin/users/${encodeURIComponent(result.value.userId)}?done=invited`, 303);
  });

  app.get<WithId & { Querystring: { done?: string } }>('/admin/users/:id', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    return reply.render(`${V}/account.njk`, {
      pageTitle: account.name,
      account,
      expired: !!account.invitation && account.invitation.expiresAt <= new Date(),
      done: doneOf(accountDone, req.query.done),
    });
  });

  const renderRole = (reply: FastifyReply, account: StaffAccount, form: Form = {}, status = 200) =>
    reply.render(
      `${V}/role.njk`,
      {
        pageTitle: msg(`${K}.role.title`),
        account,
        values: form.values ?? { role: account.role },
        errors: form.errors ?? {},
        errorList: form.errors ? errorSummary(form.errors) : [],
      },
      status,
    );

  app.get<WithId>('/admin/users/:id/role', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    if (account.status === 'deactivated') return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}`);
    return renderRole(reply, account);
  });

  app.post<WithId>('/admin/users/:id/role', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    const form = trimmed(req.body);
    const result = await staffAccounts.changeRole(req.currentUser!, account, form);
    if (!result.ok) return renderRole(reply, account, { values: form, errors: result.errors }, 400);
    // An admin who gave up their own admin role can no longer see this area.
    if (account.id === req.currentUser!.id && result.value !== 'admin') return reply.redirect('/admin', 303);
    return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}?done=role`, 303);
  });

  const renderDeactivate = (reply: FastifyReply, account: StaffAccount, errors?: FieldErrors, status = 200) =>
    reply.render(
      `${V}/deactivate.njk`,
      {
        pageTitle: msg(`${K}.deactivate.title`, { name: account.name }),
        account,
        errorList: errors ? Object.values(errors).map((text) => ({ text, href: '#deactivate' })) : [],
      },
      status,
    );

  app.get<WithId>('/admin/users/:id/deactivate', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    if (account.status !== 'active') return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}`);
    return renderDeactivate(reply, account);
  });

  app.post<WithId>('/admin/users/:id/deactivate', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    if (account.status !== 'active') return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}`, 303);
    const result = await staffAccounts.deactivate(req.currentUser!, account);
    if (!result.ok) return renderDeactivate(reply, account, result.errors, 409);
    // Deactivating yourself ends your own session too.
    if (account.id === req.currentUser!.id) return reply.redirect('/', 303);
    return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}?done=deactivated`, 303);
  });

  app.get<WithId>('/admin/users/:id/two-factor', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    if (!account.twoFactorEnabled) return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}`);
    const { requireTwoFactor } = await app.services.securitySettings.get();
    return reply.render(`${V}/two-factor.njk`, {
      pageTitle: msg(`${K}.twoFactor.title`, { name: account.name }),
      account,
      requireTwoFactor,
    });
  });

  app.post<WithId>('/admin/users/:id/two-factor', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    if (account.twoFactorEnabled) await staffAccounts.removeTwoFactor(req.currentUser!, account, req.lang);
    return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}?done=twoFactorRemoved`, 303);
  });

  app.post<WithId>('/admin/users/:id/reactivate', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    if (account.status === 'deactivated') await staffAccounts.reactivate(req.currentUser!, account);
    return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}?done=reactivated`, 303);
  });

  app.post<WithId>('/admin/users/:id/invitation/resend', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    const resent = await staffAccounts.resend(req.currentUser!, account.id, req.lang);
    return reply.redirect(`/admin/users/${encodeURIComponent(account.id)}${resent ? '?done=resent' : ''}`, 303);
  });

  app.post<WithId>('/admin/users/:id/invitation/cancel', async (req, reply) => {
    const account = await accountOr404(req.params.id);
    const cancelled = await staffAccounts.cancel(req.currentUser!, account.id);
    return reply.redirect(cancelled ? '/admin/users?done=cancelled' : `/admin/users/${encodeURIComponent(account.id)}`, 303);
  });
}
