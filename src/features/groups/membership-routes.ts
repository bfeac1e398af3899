import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { trimmed } from '#src/lib/forms.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import type { GroupRow } from './groups-repository.ts';

const P = 'groups.public';
const inLang = (g: GroupRow, lang: string) => localised(g, ['name', 'purposeHtml'], lang as 'en');

// A member's own choices (what they show to others), and leaving. Anyone signed out is sent to
// sign in; someone who is not a member finds no such page.
async function ownMembershipRoutes(app: FastifyInstance) {
  const { groups, groupMembers } = app.services;

  app.addHook('onRequest', async (req, reply) => {
    if (!req.currentUser) return reply.redirect('/sign-in/email');
  });
  async function mine(slug: string, user: CurrentUser) {
    const g = await groups.bySlug(slug);
    const membership = g ? await groups.membershipOf(g.id, user.id) : null;
    if (!g || !membership) throw notFound('group');
    return g;
  }
  async function renderMembership(reply: FastifyReply, g: GroupRow, errors: Record<string, string> = {}, status = 200) {
    const me = (await groups.membersOf(g.id)).find((m) => m.userId === reply.request.currentUser!.id)!;
    return reply.render(
      'groups/views/membership.njk',
      {
        pageTitle: msg(`${P}.membership.title`),
        g: inLang(g, reply.request.tr.lang),
        me,
        errors,
        errorList: [],
      },
      status,
    );
  }
  app.get<{ Params: { slug: string } }>('/groups/:slug/membership', async (req, reply) =>
    renderMembership(reply, await mine(req.params.slug, req.currentUser!)),
  );
  app.post<{ Params: { slug: string } }>('/groups/:slug/membership', async (req, reply) => {
    const g = await mine(req.params.slug, req.currentUser!);
    const result = await groupMembers.saveChoices(g, req.currentUser!, trimmed(req.body));
    if (!result.ok) return renderMembership(reply, g, result.errors, 409);
    return reply.redirect(`/groups/${g.slug}?saved=choices`, 303);
  });
  app.post<{ Params: { slug: string } }>('/groups/:slug/leave', async (req, reply) => {
    const g = await mine(req.params.slug, req.currentUser!);
    const result = await groupMembers.leave(g, req.currentUser!);
    if (!result.ok) return renderMembership(reply, g, result.errors, 409);
    return reply.redirect(`/profile/groups?left=${encodeURIComponent(g.slug)}`, 303);
  });
}

// The link in an invitation email: signed-out people are asked to sign in or join and come back.
async function invitationRoutes(app: FastifyInstance) {
  const { groupInvitations } = app.services;
  app.get<{ Params: { token: string } }>('/groups/invitations/:token', async (req, reply) => {
    const found = await groupInvitations.invitation(req.params.token);
    const here = `/groups/invitations/${req.params.token}`;
    return reply.render(
      'groups/views/invitation.njk',
      {
        pageTitle: msg(`${P}.invitation.${found.state}.title`),
        state: found.state,
        group: found.state === 'valid' ? inLang(found.group, req.tr.lang) : null,
        signedIn: !!req.currentUser,
        here,
      },
      found.state === 'valid' ? 200 : 410,
    );
  });
  app.post<{ Params: { token: string } }>('/groups/invitations/:token', async (req, reply) => {
    if (!req.currentUser)
      return reply.redirect(`/sign-in/email?next=${encodeURIComponent(`/groups/invitations/${req.params.token}`)}`, 303);
    const outcome = await groupInvitations.accept(req.params.token, req.currentUser);
    if (outcome.kind !== 'joined') return reply.redirect(`/groups/invitations/${req.params.token}`, 303);
    return reply.redirect(`/groups/${outcome.group.slug}`, 303);
  });
}

// A contributor's own groups.
async function myGroupsRoutes(app: FastifyInstance) {
  const { groups } = app.services;
  app.addHook('onRequest', requireContributor);
  app.get<{ Querystring: Record<string, unknown> }>('/profile/groups', async (req, reply) => {
    const { t, lang } = req.tr;
    const mine = await groups.groupsOf(req.currentUser!.id);
    return reply.render('groups/views/mine.njk', {
      pageTitle: msg(`${P}.mine.title`),
      left: typeof req.query.left === 'string' && req.query.left.length < 100,
      items: mine.map((g) => ({ ...inLang(g, lang), roleText: t(`groups.roles.${g.role}`), kindText: t(`groups.kinds.${g.kind}`) })),
    });
  });
}

export default async function membershipRoutes(app: FastifyInstance) {
  await app.register(ownMembershipRoutes);
  await app.register(invitationRoutes);
  await app.register(myGroupsRoutes);
}
