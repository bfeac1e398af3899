import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { trimmed } from '#src/lib/forms.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { manageGroupPage, prefixed } from './manage-page.ts';

type IdParams = { Params: { id: string } };
type MemberParams = { Params: { id: string; userId: string } };

// Staff change who is in a group, from its manage page: people picked from the register, everyone
// selected for an opportunity at once, an emailed invitation, a new role, removal; and they post
// announcements. An archived group refuses every one of them (409, with the reason).
export default async function membersAdminRoutes(app: FastifyInstance) {
  const { groupMembers, groupInvitations, groupDocuments } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const page = manageGroupPage(app);
  const back = (id: number, saved: string, count?: number) =>
    `/admin/groups/${id}?saved=${saved}${count === undefined ? '' : `&count=${count}`}`;
  const userIdOk = (v: string) => /^[A-Za-z0-9_-]{1,100}$/.test(v);

  app.post<IdParams>('/admin/groups/:id/members', async (req, reply) => {
    const g = await page.find(req.params.id);
    const form = trimmed(req.body);
    const result = await groupMembers.add(g, req.currentUser!, form);
    if (!result.ok) {
      const q = typeof form.q === 'string' ? form.q.slice(0, 200) : '';
      return page.render(reply, g, { q, values: { role: form.role }, errors: prefixed('add', result.errors) }, g.archivedAt ? 409 : 400);
    }
    return reply.redirect(back(g.id, 'added', result.value.added), 303);
  });

  app.post<IdParams>('/admin/groups/:id/members/import', async (req, reply) => {
    const g = await page.find(req.params.id);
    const form = trimmed(req.body);
    const result = await groupMembers.importFromOpportunity(g, req.currentUser!, form);
    if (!result.ok) return page.render(reply, g, { values: form, errors: prefixed('import', result.errors) }, g.archivedAt ? 409 : 400);
    return reply.redirect(back(g.id, 'imported', result.value.added), 303);
  });

  app.post<IdParams>('/admin/groups/:id/invitations', async (req, reply) => {
    const g = await page.find(req.params.id);
    const form = trimmed(req.body);
    const result = await groupInvitations.invite(g, req.currentUser!, form, req.tr.lang);
    if (!result.ok) return page.render(reply, g, { values: form, errors: prefixed('invite', result.errors) }, g.archivedAt ? 409 : 400);
    return reply.redirect(back(g.id, 'invited'), 303);
  });

  app.post<MemberParams>('/admin/groups/:id/members/:userId/role', async (req, reply) => {
    const g = await page.find(req.params.id);
    if (!userIdOk(req.params.userId)) throw notFound('member');
    const result = await groupMembers.changeRole(g, req.currentUser!, req.params.userId, trimmed(req.body));
    if (!result.ok)
      return page.render(reply, g, { errors: prefixed(`role-${req.params.userId}`, result.errors) }, g.archivedAt ? 409 : 400);
    if (result.value === 'gone') throw notFound('member');
    return reply.redirect(back(g.id, 'role'), 303);
  });

  app.post<MemberParams>('/admin/groups/:id/members/:userId/remove', async (req, reply) => {
    const g = await page.find(req.params.id);
    if (!userIdOk(req.params.userId)) throw notFound('member');
    const result = await groupMembers.remove(g, req.currentUser!, req.params.userId);
    if (!result.ok) return page.render(reply, g, { errors: result.errors }, 409);
    if (result.value === 'gone') throw notFound('member');
    return reply.redirect(back(g.id, 'removed'), 303);
  });

  app.post<IdParams>('/admin/groups/:id/announcements', async (req, reply) => {
    const g = await page.find(req.params.id);
    const form = trimmed(req.body);
    const result = await groupDocuments.announce(g, req.currentUser!, form);
    if (!result.ok)
      return page.render(reply, g, { values: form, errors: prefixed('announcement', result.errors) }, g.archivedAt ? 409 : 400);
    return reply.redirect(back(g.id, 'announced', result.value.emailedTo), 303);
  });
}
