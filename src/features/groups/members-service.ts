import { createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import type { DataSubject, FeatureContext } from '#src/platform/feature.ts';
import { CONTRIBUTOR_ROLE, isContributor, isStaff, staffRoles, type CurrentUser } from '#src/platform/identity/roles.ts';
import { PeopleQuerySchema } from '#src/features/profile/search-schema.ts';
import { createGroupsRepository, type GroupRow } from './groups-repository.ts';
import { AddMembersSchema, ImportSchema, InviteSchema, MembershipChoicesSchema, RoleSchema } from './groups-schema.ts';
import { recipients, sendAdded, sendInvitation } from './groups-emails.ts';
import { createMembersRepository, type InvitationRow } from './members-repository.ts';
import type { memberSources } from './tables.ts';

const V = 'groups.validation';
export const INVITATION_DAYS = 14;
const DAY = 24 * 3600_000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const archived = () => invalid({ form: msg(`${V}.archived`) });
const staffRole = (role: string) => (staffRoles as readonly string[]).includes(role);
const staffOnlyError = (field: string) => invalid({ [field]: msg(`${V}.staffOnly`) });

export type InvitationLookup = { state: 'valid'; invitation: InvitationRow; group: GroupRow } | { state: 'expired' | 'used' | 'unknown' };

// Who is in a group: staff add people from the register, from an opportunity's selected applicants
// or by emailed invitation, change roles and remove people; members choose what to show, or leave.
// Every staff change is on the audit trail; people added or invited are emailed in their language.
export function createMembersService(db: Db, ctx: FeatureContext) {
  const repo = createMembersRepository(db);
  const groupsRepo = createGroupsRepository(db);
  const { audit, identity } = ctx.services;
  const now = () => new Date();

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

  async function lookup(token: string): Promise<InvitationLookup> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'unknown' };
    const inv = await repo.invitationByHash(hashToken(token));
    if (!inv) return { state: 'unknown' };
    if (inv.acceptedAt) return { state: 'used' };
    if (inv.expiresAt <= now()) return { state: 'expired' };
    const group = await groupsRepo.byId(inv.groupId);
    if (!group || group.archivedAt) return { state: 'expired' };
    return { state: 'valid', invitation: inv, group };
  }

  return {
    // The register as staff search it (the profile service's search), to pick people from.
    // An email address finds its account exactly (the register's text search has names only).
    async searchRegister(q: string): Promise<{ id: string; name: string }[]> {
      if (!q) return [];
      if (q.includes('@')) {
        const account = await identity.findAccountByEmail(q);
        return account?.role === CONTRIBUTOR_ROLE ? [{ id: account.id, name: account.name }] : [];
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

    async invite(g: GroupRow, staff: CurrentUser, form: Record<string, unknown>, lang: Lang): Promise<Result<{ email: string }>> {
      if (g.archivedAt) return archived();
      const v = validateForm(InviteSchema, form);
      if (!v.ok) return v;
      const account = await identity.findAccountByEmail(v.value.email);
      if (account && (await groupsRepo.memberIds(g.id)).includes(account.id)) return invalid({ email: msg(`${V}.email.alreadyMember`) });
      if (staffOnly(g) && !(account && staffRole(account.role))) return staffOnlyError('email');
      // Someone with an account hears in the language they chose; anyone else in the page's.
      const chosen = account ? (await ctx.services.profile.profile(account.id))?.language : null;
      const language: Lang = chosen === 'cy' || chosen === 'en' ? chosen : lang;
      const token = randomBytes(32).toString('base64url');
      await db.transaction(async (tx) => {
        const inv = await repo.addInvitation(
          {
            groupId: g.id,
            email: v.value.email,
            role: v.value.role,
            tokenHash: hashToken(token),
            invitedBy: staff.id,
            expiresAt: new Date(now().getTime() + INVITATION_DAYS * DAY),
          },
          tx,
        );
        await sendInvitation(ctx, tx, g, { email: v.value.email, lang: language, token, invitationId: inv.id });
        await audit.record(
          { actorUserId: staff.id, action: 'group.invitation-sent', details: { groupId: g.id, group: g.name, invitationId: inv.id } },
          tx,
        );
      });
      return ok({ email: v.value.email });
    },

    pendingInvitations: (groupId: number) => repo.pendingOf(groupId),

    invitation: (token: string) => lookup(token),

    // The signed-in person takes up the invitation (whatever address they signed in with: the
    // link itself is the proof they were invited).
    async accept(
      token: string,
      user: CurrentUser,
    ): Promise<{ kind: 'joined'; group: GroupRow } | { kind: 'expired' | 'used' | 'unknown' }> {
      const found = await lookup(token);
      if (found.state !== 'valid') return { kind: found.state };
      const { invitation: inv, group } = found;
      if (staffOnly(group) && !isStaff(user)) return { kind: 'unknown' };
      return db.transaction(async (tx) => {
        if (!(await repo.markAccepted(inv.id, user.id, tx))) return { kind: 'used' as const };
        await groupsRepo.insertMembers(
          [{ groupId: group.id, userId: user.id, role: inv.role, source: 'invitation', addedBy: inv.invitedBy }],
          tx,
        );
        await audit.record(
          {
            actorUserId: user.id,
            action: 'group.invitation-accepted',
            details: { groupId: group.id, group: group.name, invitationId: inv.id },
          },
          tx,
        );
        return { kind: 'joined' as const, group };
      });
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

    canBeInvited: (user: CurrentUser | null) => isContributor(user),

    // Personal data: memberships and accepted invitations; invitations to the address are erased
    // (memberships go with the account by foreign key).
    async exportFor(userId: string) {
      const memberships = (await groupsRepo.groupsOf(userId)).map((r) => ({
        group: r.group.name,
        role: r.membership.role,
        joinedAt: r.membership.joinedAt,
        showOnPublicPage: r.membership.showOnPublicPage,
        shareEmailWithMembers: r.membership.shareEmailWithMembers,
      }));
      return { memberships, invitationsAccepted: await repo.acceptedBy(userId) };
    },
    erase: async (subject: DataSubject, tx: Tx) => {
      await repo.eraseSentTo(subject.email, tx);
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
