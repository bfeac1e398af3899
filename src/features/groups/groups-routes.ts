import type { FastifyInstance } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import { isContributor, type CurrentUser } from '#src/platform/identity/roles.ts';
import type { GroupRow } from './groups-repository.ts';

const P = 'groups.public';

// The public list of public groups, and a group's page: the private page for members and the staff
// who run groups, the public page of a public group for everyone else, and nothing at all for a
// private group. A member's own pages are in membership-routes.ts.
export default async function groupsRoutes(app: FastifyInstance) {
  const { groups, groupDocuments, meetings } = app.services;

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
      const { past } = await meetings.forGroup(g.id);
      return reply.render('groups/views/public.njk', {
        pageTitle: group.name,
        g: group,
        count: members.length,
        shown: members.filter((m) => m.showOnPublicPage).map((m) => m.name),
        publicMinutes: past.filter((m) => m.minutesPublic && m.minutesPublishedAt),
      });
    }
    const staff = groups.runsGroups(req.currentUser);
    const me = members.find((m) => m.userId === req.currentUser?.id);
    const [documents, announcements, groupMeetings] = await Promise.all([
      groupDocuments.of(g.id),
      groupDocuments.announcementsOf(g.id),
      meetings.forGroup(g.id),
    ]);
    return reply.render('groups/views/group.njk', {
      pageTitle: group.name,
      g: group,
      staff,
      me,
      // Back to where this reader keeps their groups: staff who run groups, a contributor's own
      // list, or the public list for other staff who are members.
      back: staff ? `/admin/groups/${g.id}` : isContributor(req.currentUser) ? '/profile/groups' : '/groups',
      saved: req.query.saved === 'choices' ? t(`${P}.group.choicesSaved`) : undefined,
      members: members.map((m) => ({
        ...m,
        roleText: t(`groups.roles.${m.role}`),
        email: staff || m.shareEmailWithMembers || m.userId === req.currentUser?.id ? m.email : null,
      })),
      documents,
      announcements,
      groupMeetings,
      groupId: g.id,
      canSchedule: staff && !g.archivedAt,
    });
  });
}
