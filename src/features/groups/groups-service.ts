import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import { slugify } from '#src/lib/text.ts';
import { firstFreeSlug } from '#src/db/slugs.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { staffRoles, type CurrentUser, type StaffRole } from '#src/platform/identity/roles.ts';
import { membershipOf, canSeeInside, runsGroups } from './access.ts';
import { createGroupsRepository, type GroupRow } from './groups-repository.ts';
import { readGroupForm, type GroupFields } from './groups-schema.ts';
import type { memberRoles } from './tables.ts';

export type MemberRole = (typeof memberRoles)[number];

export type { GroupRow } from './groups-repository.ts';
const V = 'groups.validation';

// A member as the group's pages show them. `email` is there only when the member chose to share
// it with members, or the reader runs groups.
export type GroupMember = {
  userId: string;
  name: string;
  role: MemberRole;
  source: string;
  showOnPublicPage: boolean;
  shareEmailWithMembers: boolean;
  email: string;
  joinedAt: Date;
};

// The form's values as the row stores them; the purpose rendered and sanitised once, here.
function toRow(v: GroupFields) {
  const cy: Record<string, string> = {};
  if (v.name_cy) cy.name = v.name_cy;
  if (v.purpose_cy) {
    cy.purposeMarkdown = v.purpose_cy;
    cy.purposeHtml = renderMarkdown(v.purpose_cy);
  }
  return {
    kind: v.kind,
    name: v.name,
    purposeMarkdown: v.purpose,
    purposeHtml: renderMarkdown(v.purpose),
    visibility: v.visibility,
    startsOn: v.startsOn,
    endsOn: v.endsOn,
    leadUserId: v.leadUserId,
    translations: cy.name ? { cy } : {},
  };
}

// Groups: reading them (for every area of the feature: meetings call byId, memberIds and
// membersOf) and the staff actions on the group itself. Members, documents and announcements have
// their own services.
export function createGroupsService(db: Db, ctx: FeatureContext) {
  const repo = createGroupsRepository(db);
  const { audit } = ctx.services;

  async function slugFor(asked: string, name: string, own: GroupRow | null): Promise<Result<string>> {
    if (asked) {
      const taken = await repo.slugsLike(asked);
      if (taken.has(asked) && own?.slug !== asked) return invalid({ slug: msg(`${V}.slug.taken`) });
      return ok(asked);
    }
    if (own) return ok(own.slug);
    const base = slugify(name).slice(0, 70) || 'group';
    return ok(firstFreeSlug(base, await repo.slugsLike(base)));
  }

  async function readForm(form: Record<string, unknown>, own: GroupRow | null): Promise<Result<GroupFields & { slug: string }>> {
    const v = readGroupForm(form);
    if (!v.ok) return v;
    if (v.value.leadUserId && !(await repo.staffIds([v.value.leadUserId])).has(v.value.leadUserId))
      return invalid({ leadUserId: msg(`${V}.leadUserId.fromList`) });
    const slug = await slugFor(v.value.slug, v.value.name, own);
    if (!slug.ok) return slug;
    return ok({ ...v.value, slug: slug.value });
  }

  // The lead is listed among the members as staff lead, so the group's page shows who leads it.
  async function ensureLead(tx: Tx, g: GroupRow, staff: CurrentUser) {
    if (!g.leadUserId) return;
    await repo.insertMembers([{ groupId: g.id, userId: g.leadUserId, role: 'staff-lead', source: 'staff', addedBy: staff.id }], tx);
  }

  return {
    byId: (id: number) => repo.byId(id),
    bySlug: (slug: string) => repo.bySlug(slug),
    memberIds: (groupId: number) => repo.memberIds(groupId),
    memberCount: (groupId: number) => repo.memberCount(groupId),
    forStaff: (archived: boolean) => repo.forStaff(archived),
    publicList: () => repo.publicList(),

    // Everyone in the group, in name order, with their choices.
    async membersOf(groupId: number): Promise<GroupMember[]> {
      return (await repo.members(groupId)).map((r) => ({ ...r.member, name: r.name, email: r.email }));
    },

    async groupsOf(userId: string) {
      return (await repo.groupsOf(userId)).map((r) => ({ ...r.group, role: r.membership.role, joinedAt: r.membership.joinedAt }));
    },

    // What this person may see of a group: inside (members and the staff who run groups), the
    // public page, or nothing (a private group: it does not exist for them).
    async viewOf(g: GroupRow, user: CurrentUser | null): Promise<'inside' | 'public' | 'none'> {
      const membership = user ? await membershipOf(db, g.id, user.id) : null;
      if (canSeeInside(user, membership)) return 'inside';
      return g.visibility === 'public' && !g.archivedAt ? 'public' : 'none';
    },
    membershipOf: (groupId: number, userId: string | undefined) => membershipOf(db, groupId, userId),
    runsGroups,

    async create(staff: CurrentUser, form: Record<string, unknown>): Promise<Result<GroupRow>> {
      const v = await readForm(form, null);
      if (!v.ok) return v;
      return ok(
        await db.transaction(async (tx) => {
          const g = await repo.insert({ ...toRow(v.value), slug: v.value.slug, createdBy: staff.id }, tx);
          await ensureLead(tx, g, staff);
          await audit.record({ actorUserId: staff.id, action: 'group.created', details: { groupId: g.id, group: g.name } }, tx);
          return g;
        }),
      );
    },

    async update(g: GroupRow, staff: CurrentUser, form: Record<string, unknown>): Promise<Result<GroupRow>> {
      if (g.archivedAt) return invalid({ form: msg(`${V}.archived`) });
      const v = await readForm(form, g);
      if (!v.ok) return v;
      // A group becomes an internal working group only once every member is staff.
      if (v.value.kind === 'internal-working' && (await repo.members(g.id)).some((m) => !staffRoles.includes(m.role as StaffRole)))
        return invalid({ kind: msg(`${V}.kind.contributorsIn`) });
      return ok(
        await db.transaction(async (tx) => {
          const row = (await repo.update(g.id, { ...toRow(v.value), slug: v.value.slug }, tx))!;
          await ensureLead(tx, row, staff);
          await audit.record({ actorUserId: staff.id, action: 'group.changed', details: { groupId: g.id, group: row.name } }, tx);
          return row;
        }),
      );
    },

    // Archived: read-only from now on (every change to it is refused).
    async archive(g: GroupRow, staff: CurrentUser): Promise<Result<GroupRow>> {
      if (g.archivedAt) return invalid({ form: msg(`${V}.archived`) });
      return ok(
        await db.transaction(async (tx) => {
          const row = (await repo.update(g.id, { archivedAt: new Date() }, tx))!;
          await audit.record({ actorUserId: staff.id, action: 'group.archived', details: { groupId: g.id, group: g.name } }, tx);
          return row;
        }),
      );
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
