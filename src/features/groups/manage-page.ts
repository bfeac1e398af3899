import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, type FieldErrors } from '#src/lib/forms.ts';
import { notFound } from '#src/lib/errors.ts';
import { parseId } from '#src/lib/ids.ts';
import { memberRoles } from './tables.ts';
import type { GroupRow } from './groups-repository.ts';

const A = 'groups.admin';
const notices = ['created', 'changed', 'archived', 'added', 'imported', 'invited', 'role', 'removed', 'announced', 'uploaded', 'deleted'];

// Errors of one of the page's forms, with the form's prefix on each field so that ids and the
// error summary's links never clash between forms ("invite-email", "announcement-title").
export const prefixed = (prefix: string, errors: FieldErrors): FieldErrors =>
  Object.fromEntries(Object.entries(errors).map(([k, v]) => [k === 'form' ? 'form' : `${prefix}-${k}`, v]));

export type ManageExtra = { values?: Record<string, unknown>; errors?: FieldErrors; q?: string; notice?: string; count?: number };

// The staff page of one group: details, members, invitations, documents and announcements, with
// a form for each action. Re-rendered with one form's errors (status 400) when it was wrong.
export function manageGroupPage(app: FastifyInstance) {
  const { groups, groupMembers, groupInvitations, groupDocuments, opportunities, meetings } = app.services;

  // Opportunities whose applicants have been chosen (or are being chosen), newest first.
  async function opportunityItems(picked: unknown, t: (key: string) => string) {
    const chosen = typeof picked === 'string' || typeof picked === 'number' ? String(picked) : '';
    const rows = [...(await opportunities.withStatus('selection-done')), ...(await opportunities.withStatus('closed'))];
    return [
      { value: '', text: t(`${A}.manage.import.choose`) },
      ...rows.map((o) => ({ value: String(o.id), text: o.title, selected: chosen === String(o.id) })),
    ];
  }

  async function find(raw: string): Promise<GroupRow> {
    const id = parseId(raw);
    const g = id ? await groups.byId(id) : null;
    if (!g) throw notFound('group');
    return g;
  }

  async function render(reply: FastifyReply, g: GroupRow, extra: ManageExtra = {}, status = 200) {
    const { t } = reply.request.tr;
    const errors = extra.errors ?? {};
    const [members, invitations, documents, announcements, found, groupMeetings] = await Promise.all([
      groups.membersOf(g.id),
      groupInvitations.pendingInvitations(g.id),
      groupDocuments.of(g.id),
      groupDocuments.announcementsOf(g.id),
      extra.q ? groupMembers.searchRegister(extra.q) : Promise.resolve([]),
      meetings.forGroup(g.id),
    ]);
    const inGroup = new Set(members.map((m) => m.userId));
    const roleItems = (chosen: unknown) =>
      memberRoles.map((r) => ({ value: r, text: t(`groups.roles.${r}`), selected: (chosen ?? 'member') === r }));
    const lead = members.find((m) => m.userId === g.leadUserId);
    return reply.render(
      'groups/views/admin/manage.njk',
      {
        pageTitle: g.name,
        g,
        lead,
        kindText: t(`groups.kinds.${g.kind}`),
        visibilityText: t(`groups.visibility.${g.visibility}`),
        members: members.map((m) => ({ ...m, roleText: t(`groups.roles.${m.role}`), roleItems: roleItems(m.role) })),
        invitations,
        documents,
        announcements,
        groupMeetings,
        groupId: g.id,
        canSchedule: !g.archivedAt,
        meetingBase: '/admin/meetings/',
        q: extra.q ?? '',
        found: found.map((p) => ({ ...p, inGroup: inGroup.has(p.id) })),
        roleItems: roleItems(extra.values?.role),
        opportunityItems: await opportunityItems(extra.values?.opportunityId ?? g.opportunityId, t),
        notice: extra.notice && notices.includes(extra.notice) ? t(`${A}.notices.${extra.notice}`, { count: extra.count ?? 0 }) : undefined,
        values: extra.values ?? {},
        errors,
        // A refusal of the whole page (archived) is said in its own callout, not linked to a field.
        errorList: errorSummary(Object.fromEntries(Object.entries(errors).filter(([k]) => k !== 'form'))),
      },
      status,
    );
  }
  return { find, render };
}
