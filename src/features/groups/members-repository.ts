import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { groupInvitations, groupMembers, groups } from './tables.ts';

export type InvitationRow = typeof groupInvitations.$inferSelect;

// Memberships and emailed invitations.
export function createMembersRepository(db: Db) {
  const one = (groupId: number, userId: string) => and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId));
  return {
    async setRole(groupId: number, userId: string, role: (typeof groupMembers.$inferSelect)['role'], tx: Db | Tx = db) {
      return (await tx.update(groupMembers).set({ role }).where(one(groupId, userId)).returning()).length > 0;
    },
    async remove(groupId: number, userId: string, tx: Db | Tx = db) {
      return (await tx.delete(groupMembers).where(one(groupId, userId)).returning()).length > 0;
    },
    async saveChoices(groupId: number, userId: string, choices: { showOnPublicPage: boolean; shareEmailWithMembers: boolean }) {
      await db.update(groupMembers).set(choices).where(one(groupId, userId));
    },
    setOpportunity: (groupId: number, opportunityId: number, tx: Db | Tx) =>
      tx.update(groups).set({ opportunityId }).where(eq(groups.id, groupId)),

    async addInvitation(row: typeof groupInvitations.$inferInsert, tx: Db | Tx = db) {
      const [inv] = await tx.insert(groupInvitations).values(row).returning();
      return inv!;
    },
    invitationByHash: async (tokenHash: string) =>
      (await db.select().from(groupInvitations).where(eq(groupInvitations.tokenHash, tokenHash)))[0] ?? null,
    // Marks it used, only if nobody used it first (a double click, two tabs).
    async markAccepted(id: number, userId: string, tx: Tx) {
      const rows = await tx
        .update(groupInvitations)
        .set({ acceptedBy: userId, acceptedAt: new Date() })
        .where(and(eq(groupInvitations.id, id), isNull(groupInvitations.acceptedAt)))
        .returning();
      return rows.length > 0;
    },
    pendingOf: (groupId: number) =>
      db
        .select()
        .from(groupInvitations)
        .where(and(eq(groupInvitations.groupId, groupId), isNull(groupInvitations.acceptedAt)))
        .orderBy(desc(groupInvitations.createdAt)),

    // Personal data: invitations this person accepted, and every invitation sent to an address.
    acceptedBy: (userId: string) =>
      db
        .select({ group: groups.name, role: groupInvitations.role, acceptedAt: groupInvitations.acceptedAt })
        .from(groupInvitations)
        .innerJoin(groups, eq(groups.id, groupInvitations.groupId))
        .where(eq(groupInvitations.acceptedBy, userId)),
    eraseSentTo: (email: string, tx: Tx) => tx.delete(groupInvitations).where(eq(groupInvitations.email, email.toLowerCase())),
  };
}
