import { createHash, randomBytes } from 'node:crypto';
import { and, asc, count, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import type { Auth } from './better-auth.ts';
import { account, session, staffInvitations, twoFactor, user } from './tables.ts';
import { staffRoles, type StaffRole } from './roles.ts';

export const INVITATION_DAYS = 7;
export type StaffStatus = 'active' | 'invited' | 'deactivated';
export type StaffAccount = {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  jobTitle: string | null;
  status: StaffStatus;
  twoFactorEnabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  invitation: { sentAt: Date; expiresAt: Date } | null;
};
export type NewStaffInvitation = { name: string; email: string; role: StaffRole; jobTitle: string | null; invitedBy: string | null };
export type InvitationLookup = { state: 'valid'; account: StaffAccount } | { state: 'expired' | 'used' | 'unknown' };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const newId = () => randomBytes(24).toString('base64url');
const isStaffRole = inArray(user.role, [...staffRoles]);

const columns = {
  id: user.id,
  name: user.name,
  email: user.email,
  role: user.role,
  jobTitle: user.jobTitle,
  deactivatedAt: user.deactivatedAt,
  twoFactorEnabled: user.twoFactorEnabled,
  lastSignInAt: user.lastSignInAt,
  createdAt: user.createdAt,
  sentAt: staffInvitations.sentAt,
  expiresAt: staffInvitations.expiresAt,
  acceptedAt: staffInvitations.acceptedAt,
};
type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | null } & {
  id: string;
  name: string;
  email: string;
  role: string;
};

function toAccount(r: Row): StaffAccount {
  const pending = !!r.sentAt && !r.acceptedAt;
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role as StaffRole,
    jobTitle: r.jobTitle,
    status: r.deactivatedAt ? 'deactivated' : pending ? 'invited' : 'active',
    twoFactorEnabled: !!r.twoFactorEnabled,
    lastSignInAt: r.lastSignInAt,
    createdAt: r.createdAt!,
    invitation: pending ? { sentAt: r.sentAt!, expiresAt: r.expiresAt! } : null,
  };
}

// Staff accounts as admins manage them (/admin/users): the list, invitations, roles and
// deactivation. The rules (who may do what, the last admin) are the staff-accounts feature's; these
// are the reads and writes, each taking the caller's transaction where it must commit with others.
export function createStaffAccounts(db: Db, auth: Auth) {
  const select = (runner: Db | Tx = db) =>
    runner.select(columns).from(user).leftJoin(staffInvitations, eq(staffInvitations.userId, user.id));

  return {
    // Active first, then invited, then deactivated; by name within each.
    async list(page: number, perPage = 50) {
      const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(user).where(isStaffRole);
      const pages = Math.max(1, Math.ceil(total / perPage));
      const rows = await select()
        .where(isStaffRole)
        .orderBy(
          sql`case when ${user.deactivatedAt} is not null then 2 when ${staffInvitations.sentAt} is not null and ${staffInvitations.acceptedAt} is null then 1 else 0 end`,
          asc(sql`lower(${user.name})`),
          asc(user.id),
        )
        .limit(perPage)
        .offset((Math.min(page, pages) - 1) * perPage);
      return { items: rows.map(toAccount), total, page: Math.min(page, pages), pages };
    },

    async find(id: string, runner: Db | Tx = db): Promise<StaffAccount | null> {
      const [row] = await select(runner).where(and(eq(user.id, id), isStaffRole));
      return row ? toAccount(row) : null;
    },

    // Ids of the admins who can sign in now, locked until the caller's transaction ends, so two
    // admins demoting each other at once cannot leave nobody.
    async lockActiveAdmins(tx: Tx): Promise<string[]> {
      const rows = await tx
        .select({ id: user.id })
        .from(user)
        .leftJoin(staffInvitations, and(eq(staffInvitations.userId, user.id), isNull(staffInvitations.acceptedAt)))
        .where(and(eq(user.role, 'admin'), isNull(user.deactivatedAt), isNull(staffInvitations.userId)))
        .for('update', { of: user });
      return rows.map((r) => r.id);
    },

    // The account, with its role, and a pending invitation. Returns the link's token (kept nowhere),
    // or null when the address has an account already (made a moment ago by someone else).
    async invite(input: NewStaffInvitation, tx: Db | Tx): Promise<{ userId: string; token: string; expiresAt: Date } | null> {
      const id = newId();
      const token = newToken();
      const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
      const [made] = await tx
        .insert(user)
        .values({ id, name: input.name, email: input.email, emailVerified: false, role: input.role, jobTitle: input.jobTitle })
        .onConflictDoNothing()
        .returning({ id: user.id });
      if (!made) return null;
      await tx.insert(staffInvitations).values({ userId: id, tokenHash: hashToken(token), invitedBy: input.invitedBy, expiresAt });
      return { userId: id, token, expiresAt };
    },

    // A new link for a pending invitation (the old one stops working); null when none is pending.
    async renewInvitation(userId: string, invitedBy: string, tx: Tx): Promise<{ token: string; expiresAt: Date } | null> {
      const token = newToken();
      const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
      const [row] = await tx
        .update(staffInvitations)
        .set({ tokenHash: hashToken(token), invitedBy, sentAt: new Date(), expiresAt })
        .where(and(eq(staffInvitations.userId, userId), isNull(staffInvitations.acceptedAt)))
        .returning({ userId: staffInvitations.userId });
      return row ? { token, expiresAt } : null;
    },

    // Cancelling a pending invitation removes the account made for it: nobody ever used it.
    async cancelInvitation(userId: string, tx: Tx): Promise<boolean> {
      const [pending] = await tx
        .select({ userId: staffInvitations.userId })
        .from(staffInvitations)
        .where(and(eq(staffInvitations.userId, userId), isNull(staffInvitations.acceptedAt)));
      if (!pending) return false;
      await tx.delete(user).where(eq(user.id, userId));
      return true;
    },

    async invitationByToken(token: string): Promise<InvitationLookup> {
      const [row] = await select().where(eq(staffInvitations.tokenHash, hashToken(token)));
      if (!row) return { state: 'unknown' };
      if (row.acceptedAt) return { state: 'used' };
      if (row.expiresAt! <= new Date() || row.deactivatedAt) return { state: 'expired' };
      return { state: 'valid', account: toAccount(row) };
    },

    // Uses the link once: the password (hashed by better-auth) is set and the invitation marked
    // accepted together. Null when the link is unknown, used or expired (or was used a moment ago).
    async acceptInvitation(token: string, password: string): Promise<{ userId: string; email: string } | null> {
      const hash = await (await auth.$context).password.hash(password);
      return db.transaction(async (tx) => {
        const [accepted] = await tx
          .update(staffInvitations)
          .set({ acceptedAt: new Date() })
          .where(
            and(
              eq(staffInvitations.tokenHash, hashToken(token)),
              isNull(staffInvitations.acceptedAt),
              gt(staffInvitations.expiresAt, new Date()),
            ),
          )
          .returning({ userId: staffInvitations.userId });
        if (!accepted) return null;
        const [found] = await tx
          .update(user)
          .set({ emailVerified: true, updatedAt: new Date() })
          .where(and(eq(user.id, accepted.userId), isNull(user.deactivatedAt)))
          .returning({ email: user.email });
        if (!found) return null;
        await tx.delete(account).where(and(eq(account.userId, accepted.userId), eq(account.providerId, 'credential')));
        await tx
          .insert(account)
          .values({ id: newId(), accountId: accepted.userId, providerId: 'credential', userId: accepted.userId, password: hash });
        return { userId: accepted.userId, email: found.email };
      });
    },

    async setRole(userId: string, role: StaffRole, tx: Tx) {
      await tx.update(user).set({ role, updatedAt: new Date() }).where(eq(user.id, userId));
    },

    // Deactivating keeps the account (the audit trail names it) and ends every session it has.
    async setDeactivated(userId: string, deactivated: boolean, tx: Db | Tx) {
      await tx
        .update(user)
        .set({ deactivatedAt: deactivated ? new Date() : null, updatedAt: new Date() })
        .where(eq(user.id, userId));
      if (deactivated) await tx.delete(session).where(eq(session.userId, userId));
    },

    // For a colleague who lost their phone and their recovery codes: their authenticator secret and
    // codes are deleted, and they sign in with their password until they set it up again.
    async removeTwoFactor(userId: string, tx: Db | Tx) {
      await tx.delete(twoFactor).where(eq(twoFactor.userId, userId));
      await tx.update(user).set({ twoFactorEnabled: false, updatedAt: new Date() }).where(eq(user.id, userId));
    },
  };
}
export type StaffAccounts = ReturnType<typeof createStaffAccounts>;
