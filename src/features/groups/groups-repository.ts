import { and, asc, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { takenSlugs } from '#src/db/slugs.ts';
import type { Db, Tx } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { staffRoles } from '#src/platform/identity/roles.ts';
import { groupMembers, groups } from './tables.ts';

export type GroupRow = typeof groups.$inferSelect;
export type NewGroup = typeof groups.$inferInsert;

// Groups themselves, and who is in them (names read from accounts: same feature's own tables
// plus the account names the identity module owns, joined for the member lists).
export function createGroupsRepository(db: Db) {
  const memberCount = sql<number>`(select count(*)::int from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`;
  return {
    byId: async (id: number, runner: Db | Tx = db) => (await runner.select().from(groups).where(eq(groups.id, id)))[0] ?? null,
    bySlug: async (slug: string) => (await db.select().from(groups).where(eq(groups.slug, slug)))[0] ?? null,
    slugsLike: (base: string) => takenSlugs(db, groups, groups.slug, base),

    async insert(row: NewGroup, tx: Db | Tx = db) {
      const [g] = await tx.insert(groups).values(row).returning();
      return g!;
    },
    async update(id: number, values: Partial<NewGroup>, tx: Db | Tx = db) {
      const [g] = await tx
        .update(groups)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(groups.id, id))
        .returning();
      return g ?? null;
    },

    // Staff's list: open groups, or archived ones, with how many members each has.
    forStaff: (archived: boolean) =>
      db
        .select({ group: groups, members: memberCount })
        .from(groups)
        .where(archived ? isNotNull(groups.archivedAt) : isNull(groups.archivedAt))
        .orderBy(asc(groups.name)),

    publicList: () =>
      db
        .select({ group: groups, members: memberCount })
        .from(groups)
        .where(and(eq(groups.visibility, 'public'), isNull(groups.archivedAt)))
        .orderBy(asc(groups.name)),

    // New members; anyone already in the group keeps their role. Returns who was added.
    async insertMembers(rows: (typeof groupMembers.$inferInsert)[], tx: Db | Tx = db) {
      if (!rows.length) return [];
      return tx.insert(groupMembers).values(rows).onConflictDoNothing().returning({ userId: groupMembers.userId });
    },

    memberCount: async (groupId: number) =>
      (await db.select({ n: count() }).from(groupMembers).where(eq(groupMembers.groupId, groupId)))[0]?.n ?? 0,

    members: (groupId: number) =>
      db
        .select({ member: groupMembers, name: user.name, email: user.email, role: user.role })
        .from(groupMembers)
        .innerJoin(user, eq(user.id, groupMembers.userId))
        .where(eq(groupMembers.groupId, groupId))
        .orderBy(asc(user.name)),

    memberIds: async (groupId: number) =>
      (await db.select({ id: groupMembers.userId }).from(groupMembers).where(eq(groupMembers.groupId, groupId))).map((r) => r.id),

    groupsOf: (userId: string) =>
      db
        .select({ group: groups, membership: groupMembers })
        .from(groupMembers)
        .innerJoin(groups, eq(groups.id, groupMembers.groupId))
        .where(eq(groupMembers.userId, userId))
        .orderBy(asc(groups.name)),

    // Staff accounts by id: a group's lead must be one.
    staffIds: async (ids: string[]) =>
      ids.length
        ? new Set(
            (
              await db
                .select({ id: user.id })
                .from(user)
                .where(and(inArray(user.id, ids), inArray(user.role, [...staffRoles])))
            ).map((r) => r.id),
          )
        : new Set<string>(),
  };
}

export type GroupsRepository = ReturnType<typeof createGroupsRepository>;
