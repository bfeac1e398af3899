import { createHash, randomBytes } from 'node:crypto';
import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import type { DataSubject, FeatureContext } from '#src/platform/feature.ts';
import { isStaff, staffRoles, type CurrentUser } from '#src/platform/identity/roles.ts';
import { createGroupsRepository, type GroupRow } from './groups-repository.ts';
import { InviteSchema } from './groups-schema.ts';
import { sendInvitation } from './groups-emails.ts';
import { createMembersRepository, type InvitationRow } from './members-repository.ts';

const V = 'groups.validation';
export const INVITATION_DAYS = 14;
const DAY = 24 * 3600_000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const staffRole = (role: string) => (staffRoles as readonly string[]).includes(role);
// An internal working group is for staff only.
const staffOnly = (g: GroupRow) => g.kind === 'internal-working';
const archived = () => invalid({ form: msg(`${V}.archived`) });

export type InvitationLookup = { state: 'valid'; invitation: InvitationRow; group: GroupRow } | { state: 'expired' | 'used' | 'unknown' };

// Emailed invitations to join a group: the link holds a token we keep only as its SHA-256 hash; it
// works for 14 days, once. Staff sending one and the person accepting are on the audit trail.
export function createInvitationsService(db: Db, ctx: FeatureContext) {
  const repo = createMembersRepository(db);
  const groupsRepo = createGroupsRepository(db);
  const { audit, identity } = ctx.services;
  const now = () => new Date();

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
    async invite(g: GroupRow, staff: CurrentUser, form: Record<string, unknown>, lang: Lang): Promise<Result<{ email: string }>> {
      if (g.archivedAt) return archived();
      const v = validateForm(InviteSchema, form);
      if (!v.ok) return v;
      const account = await identity.findAccountByEmail(v.value.email);
      if (account && (await groupsRepo.memberIds(g.id)).includes(account.id)) return invalid({ email: msg(`${V}.email.alreadyMember`) });
      if (staffOnly(g) && !(account && staffRole(account.role))) return invalid({ email: msg(`${V}.staffOnly`) });
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

    // Personal data: invitations this person accepted; invitations sent to their address are
    // erased with the account.
    exportFor: (userId: string) => repo.acceptedBy(userId),
    erase: async (subject: DataSubject, tx: Tx) => {
      await repo.eraseSentTo(subject.email, tx);
    },
  };
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;
