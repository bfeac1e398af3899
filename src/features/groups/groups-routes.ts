import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { trimmed } from '#src/lib/forms.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import type { GroupRow } from './groups-repository.ts';

const P = 'groups.public';

// The public list of public groups, a group's page (the private page for members and the staff
// who run groups, the public page of a public group for everyone else, and nothing at all for a
// private group), a member's own choices and leaving, and emailed invitations.
export default async function groupsRoutes(app: FastifyInstance) {
  const { groups, groupMembers, groupDocuments } = app.services;

  const inLang = (g: GroupRow, lang: string) => localised(g, ['name', 'purposeHtml'], lang as 'en');

  async function findVisible(slug: string, user: CurrentUser | null) {
    const g = await groups.bySlug(slug);
    const view = g ? await groups.viewOf(g, user) : 'none';
    if (!g || view === 'none') throw notFound('group');
    return { g, view };
  }

  app.get('/groups', async (req, reply) => {
    const { t, lang } = req.tr;
    const rows = await groups.publicList();
    return reply.render('groups/views/index.njk', {
      pageTitle: msg(`${P}.list.title`),
      items: rows.map((r) => ({ ...inLang(r.group, lang), members: r.members, kindText: t(`groups.kinds.${r.group.kind}`) })),
    });
  });

  app.get<{ Params: { slug: string }; Querystring: Record<string, unknown> }>('/groups/:slug', async (req, reply) => {
    const { g, view } = await findVisible(req.params.slug, req.currentUser);
    const { t, lang } = req.tr;
    const members = await groups.membersOf(g.id);
    const group = { ...inLang(g, lang), kindText: t(`groups.kinds.${g.kind}`) };
    if (view === 'public') {
      return reply.render('groups/views/public.njk', {
        pageTitle: group.name,
        g: group,
        count: members.length,
        shown: members.filter((m) => m.showOnPublicPage).map((m) => m.name),
      });
    }
    const staff = groups.runsGroups(req.currentUser);
    const me = members.find((m) => m.userId === req.currentUser?.id);
    const [documents, announcements] = await Promise.all([groupDocuments.of(g.id), groupDocuments.announcementsOf(g.id)]);
    return reply.render('groups/views/group.njk', {
      pageTitle: group.name,
      g: group,
      staff,
      me,
      saved: req.query.saved === 'choices' ? t(`${P}.group.choicesSaved`) : undefined,
      members: members.map((m) => ({
        ...m,
        roleText: t(`groups.roles.${m.role}`),
        email: staff || m.shareEmailWithMembers || m.userId === req.currentUser?.id ? m.email : null,
      })),
      documents,
      announcements,
    });
  });

  // A member's own choices, and leaving.
  await app.register(async (own) => {
    own.addHook('onRequest', async (req, reply) => {
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
    own.get<{ Params: { slug: string } }>('/groups/:slug/membership', async (req, reply) =>
      renderMembership(reply, await mine(req.params.slug, req.currentUser!)),
    );
    own.post<{ Params: { slug: string } }>('/groups/:slug/membership', async (req, reply) => {
      const g = await mine(req.params.slug, req.currentUser!);
      const result = await groupMembers.saveChoices(g, req.currentUser!, trimmed(req.body));
      if (!result.ok) return renderMembership(reply, g, result.errors, 409);
      return reply.redirect(`/groups/${g.slug}?saved=choices`, 303);
    });
    own.post<{ Params: { slug: string } }>('/groups/:slug/leave', async (req, reply) => {
      const g = await mine(req.params.slug, req.currentUser!);
      const result = await groupMembers.leave(g, req.currentUser!);
      if (!result.ok) return renderMembership(reply, g, result.errors, 409);
      return reply.redirect(`/profile/groups?left=${encodeURIComponent(g.slug)}`, 303);
    });
  });

  // The link in an invitation email: signed-out people are asked to sign in or join and come back.
  app.get<{ Params: { token: string } }>('/groups/invitations/:token', async (req, reply) => {
    const found = await groupMembers.invitation(req.params.token);
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
    const outcome = await groupMembers.accept(req.params.token, req.currentUser);
    if (outcome.kind !== 'joined') return reply.redirect(`/groups/invitations/${req.params.token}`, 303);
    return reply.redirect(`/groups/${outcome.group.slug}`, 303);
  });

  // A contributor's own groups.
  await app.register(async (profile) => {
    profile.addHook('onRequest', requireContributor);
    profile.get<{ Querystring: Record<string, unknown> }>('/profile/groups', async (req, reply) => {
      const { t, lang } = req.tr;
      const mine = await groups.groupsOf(req.currentUser!.id);
      return reply.render('groups/views/mine.njk', {
        pageTitle: msg(`${P}.mine.title`),
        left: typeof req.query.left === 'string' && req.query.left.length < 100,
        items: mine.map((g) => ({ ...inLang(g, lang), roleText: t(`groups.roles.${g.role}`), kindText: t(`groups.kinds.${g.kind}`) })),
      });
    });
  });
}
