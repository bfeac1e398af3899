import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { CONTRIBUTOR_ROLE, staffRoles, type CurrentUser } from '#src/platform/identity/roles.ts';
import { PeopleQuerySchema } from '#src/features/profile/search-schema.ts';
import { createGroupsRepository, type GroupRow } from './groups-repository.ts';
import { AddMembersSchema, ImportSchema, MembershipChoicesSchema, RoleSchema } from './groups-schema.ts';
import { recipients, sendAdded } from './groups-emails.ts';
import { createMembersRepository } from './members-repository.ts';
import type { memberSources } from './tables.ts';

const V = 'groups.validation';
const archived = () => invalid({ form: msg(`${V}.archived`) });
const staffRole = (role: string) => (staffRoles as readonly string[]).includes(role);
const staffOnlyError = (field: string) => invalid({ [field]: msg(`${V}.staffOnly`) });

// Who is in a group: staff add people from the register or an opportunity's selected applicants
// (invitations are invitations-service.ts), change roles and remove people; members choose what
// to show, or leave. Every staff change is on the audit trail; people added are emailed in their
// language.
export function createMembersService(db: Db, ctx: FeatureContext) {
  const repo = createMembersRepository(db);
  const groupsRepo = createGroupsRepository(db);
  const { audit, identity } = ctx.services;

  // Adds people (accounts that exist, contributors or staff), emailing each one newly added.
  // An internal working group is for staff only: contributors are never added to one.
  const staffOnly = (g: GroupRow) => g.kind === 'internal-working';

  async function addPeople(
    g: GroupRow,
    staff: CurrentUser,
    ids: string[],
    role: string,
    source: (typeof memberSources)[number],
    extra?: (tx: Tx) => Promise<void>,
  ) {
    const accounts = await identity.accountsByIds(ids);
    if (staffOnly(g) && [...accounts.values()].some((a) => !staffRole(a.role))) return null;
    const people = await recipients(
      ctx,
      [...accounts.values()].map((a) => ({ id: a.id, email: a.email, name: a.name })),
    );
    return db.transaction(async (tx) => {
      const added = await groupsRepo.insertMembers(
        people.map((p) => ({ groupId: g.id, userId: p.userId, role: role as 'member', source, addedBy: staff.id })),
        tx,
      );
      const addedIds = new Set(added.map((a) => a.userId));
      await sendAdded(
        ctx,
        tx,
        g,
        people.filter((p) => addedIds.has(p.userId)),
      );
      if (extra) await extra(tx);
      await audit.record(
        {
          actorUserId: staff.id,
          action: 'group.members-added',
          details: { groupId: g.id, group: g.name, source, count: added.length, userIds: [...addedIds] },
        },
        tx,
      );
      return { added: added.length, already: people.length - added.length };
    });
  }
  return {
    // The register as staff search it (the profile service's search), to pick people from.
    // An email address finds its account exactly (the register's text search has names only).
    async searchRegister(q: string): Promise<{ id: string; name: string }[]> {
      if (!q) return [];
      if (q.includes('@')) {
        const account = await identity.findAccountByEmail(q);
        // Staff are not in the register, but are found by their address (internal working groups).
        return account && (account.role === CONTRIBUTOR_ROLE || staffRole(account.role)) ? [{ id: account.id, name: account.name }] : [];
      }
      const query = PeopleQuerySchema.parse({ q });
      return (await ctx.services.profile.search.search(query, { perPage: 25 })).items;
    },

    async add(g: GroupRow, staff: CurrentUser, form: Record<string, unknown>): Promise<Result<{ added: number; already: number }>> {
      if (g.archivedAt) return archived();
      const v = validateForm(AddMembersSchema, form);
      if (!v.ok) return v;
      const added = await addPeople(g, staff, v.value.userIds, v.value.role, 'register');
      return added ? ok(added) : staffOnlyError('userIds');
    },

    // Everyone selected for an opportunity joins in one action (as members).
    async importFromOpportunity(
      g: GroupRow,
      staff: CurrentUser,
      form: Record<string, unknown>,
    ): Promise<Result<{ added: number; already: number }>> {
      if (g.archivedAt) return archived();
      const v = validateForm(ImportSchema, form);
      if (!v.ok) return v;
      const opportunity = await ctx.services.opportunities.byId(v.value.opportunityId);
      if (!opportunity) return invalid({ opportunityId: msg(`${V}.opportunityId.missing`) });
      const participants = await ctx.services.selection.participants(opportunity.id);
      if (!participants.length) return invalid({ opportunityId: msg(`${V}.opportunityId.nobody`) });
      const ids = participants.map((p) => p.userId);
      const added = await addPeople(g, staff, ids, 'member', 'opportunity', (tx) =>
        repo.setOpportunity(g.id, opportunity.id, tx).then(() => undefined),
      );
      return added ? ok(added) : staffOnlyError('opportunityId');
    },

    async changeRole(g: GroupRow, staff: CurrentUser, userId: string, form: Record<string, unknown>): Promise<Result<'changed' | 'gone'>> {
      if (g.archivedAt) return archived();
      const v = validateForm(RoleSchema, form);
      if (!v.ok) return v;
      return ok(
        await db.transaction(async (tx) => {
          if (!(await repo.setRole(g.id, userId, v.value.role, tx))) return 'gone' as const;
          await audit.record(
            {
              actorUserId: staff.id,
              action: 'group.member-role-changed',
              subjectUserId: userId,
              details: { groupId: g.id, group: g.name, role: v.value.role },
            },
            tx,
          );
          return 'changed' as const;
        }),
      );
    },

    async remove(g: GroupRow, staff: CurrentUser, userId: string): Promise<Result<'removed' | 'gone'>> {
      if (g.archivedAt) return archived();
      return ok(
        await db.transaction(async (tx) => {
          if (!(await repo.remove(g.id, userId, tx))) return 'gone' as const;
          await audit.record(
            { actorUserId: staff.id, action: 'group.member-removed', subjectUserId: userId, details: { groupId: g.id, group: g.name } },
            tx,
          );
          return 'removed' as const;
        }),
      );
    },

    async leave(g: GroupRow, user: CurrentUser): Promise<Result> {
      if (g.archivedAt) return archived();
      await db.transaction(async (tx) => {
        if (await repo.remove(g.id, user.id, tx))
          await audit.record(
            { actorUserId: user.id, action: 'group.member-left', subjectUserId: user.id, details: { groupId: g.id, group: g.name } },
            tx,
          );
      });
      return ok();
    },

    async saveChoices(g: GroupRow, user: CurrentUser, form: Record<string, unknown>): Promise<Result> {
      if (g.archivedAt) return archived();
      const v = validateForm(MembershipChoicesSchema, form);
      if (!v.ok) return v;
      await repo.saveChoices(g.id, user.id, v.value);
      return ok();
    },

    // Personal data: memberships (they go with the account by foreign key).
    async exportFor(userId: string) {
      const memberships = (await groupsRepo.groupsOf(userId)).map((r) => ({
        group: r.group.name,
        role: r.membership.role,
        joinedAt: r.membership.joinedAt,
        showOnPublicPage: r.membership.showOnPublicPage,
        shareEmailWithMembers: r.membership.shareEmailWithMembers,
      }));
      return memberships;
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
