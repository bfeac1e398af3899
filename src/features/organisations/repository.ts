import { and, asc, count, eq, gte, inArray, isNotNull, lt, ne, notInArray, sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { contributorOrganisationAnswers, contributorOrganisations, organisations, type OrganisationStatus } from './tables.ts';

export type OrganisationRow = typeof organisations.$inferSelect;
export type NewOrganisation = typeof organisations.$inferInsert;

const live = inArray(organisations.status, ['pending', 'approved']);

// Drizzle queries only: rules live in service.ts.
export function createOrganisationsRepository(db: Db) {
  return {
    // Internet addresses are kept only as long as the per-address limit needs them.
    async forgetIpAddressesBefore(before: Date): Promise<number> {
      const rows = await db
        .update(organisations)
        .set({ ipAddress: null })
        .where(and(isNotNull(organisations.ipAddress), lt(organisations.createdAt, before)))
        .returning({ id: organisations.id });
      return rows.length;
    },

    async insert(values: NewOrganisation, tx: Db = db): Promise<OrganisationRow> {
      const [row] = await tx.insert(organisations).values(values).returning();
      return row!;
    },

    // A pending or approved organisation with this name, ignoring case (optionally not `exceptId`).
    async liveByName(name: string, exceptId?: number): Promise<OrganisationRow | undefined> {
      const [row] = await db
        .select()
        .from(organisations)
        .where(and(live, eq(sql`lower(${organisations.name})`, name.toLowerCase()), exceptId ? ne(organisations.id, exceptId) : undefined))
        .limit(1);
      return row;
    },

    async countFromIpSince(ip: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(organisations)
        .where(and(eq(organisations.ipAddress, ip), gte(organisations.createdAt, since)));
      return row?.n ?? 0;
    },

    async byId(id: number): Promise<OrganisationRow | undefined> {
      const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
      return row;
    },

    async withStatus(status: OrganisationStatus): Promise<OrganisationRow[]> {
      return db
        .select()
        .from(organisations)
        .where(eq(organisations.status, status))
        .orderBy(status === 'pending' ? asc(organisations.createdAt) : asc(sql`lower(${organisations.name})`), asc(organisations.id));
    },

    async byIds(ids: number[]): Promise<OrganisationRow[]> {
      if (!ids.length) return [];
      return db.select().from(organisations).where(inArray(organisations.id, ids));
    },

    async counts(): Promise<Record<string, number>> {
      const rows = await db.select({ status: organisations.status, n: count() }).from(organisations).groupBy(organisations.status);
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },

    // Changes the row only while it still has status `from`, so a double click or two members of
    // staff deciding at once change it (and send its email) once.
    async transition(
      id: number,
      from: OrganisationStatus,
      changes: Partial<NewOrganisation>,
      tx: Db = db,
    ): Promise<OrganisationRow | undefined> {
      const [row] = await tx
        .update(organisations)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(organisations.id, id), eq(organisations.status, from)))
        .returning();
      return row;
    },

    async update(id: number, changes: Partial<NewOrganisation>): Promise<void> {
      await db
        .update(organisations)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(organisations.id, id));
    },

    async memberCount(id: number): Promise<number> {
      const [row] = await db.select({ n: count() }).from(contributorOrganisations).where(eq(contributorOrganisations.organisationId, id));
      return row?.n ?? 0;
    },

    async membershipsOf(userId: string) {
      return db
        .select({
          id: organisations.id,
          name: organisations.name,
          kind: organisations.kind,
          status: organisations.status,
          since: contributorOrganisations.createdAt,
        })
        .from(contributorOrganisations)
        .innerJoin(organisations, eq(organisations.id, contributorOrganisations.organisationId))
        .where(eq(contributorOrganisations.userId, userId))
        .orderBy(asc(sql`lower(${organisations.name})`));
    },

    // Keeps the date a person first said they belong to an organisation they still choose.
    async replaceMemberships(userId: string, ids: number[], tx: Db) {
      await tx
        .delete(contributorOrganisations)
        .where(
          and(
            eq(contributorOrganisations.userId, userId),
            ids.length ? notInArray(contributorOrganisations.organisationId, ids) : undefined,
          ),
        );
      if (ids.length) {
        await tx
          .insert(contributorOrganisations)
          .values(ids.map((organisationId) => ({ userId, organisationId })))
          .onConflictDoNothing();
      }
      await tx
        .insert(contributorOrganisationAnswers)
        .values({ userId, answeredAt: new Date() })
        .onConflictDoUpdate({ target: contributorOrganisationAnswers.userId, set: { answeredAt: new Date() } });
    },

    async answeredAt(userId: string): Promise<Date | null> {
      const [row] = await db.select().from(contributorOrganisationAnswers).where(eq(contributorOrganisationAnswers.userId, userId));
      return row?.answeredAt ?? null;
    },
  };
}
