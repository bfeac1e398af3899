import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { meetingAccessRequests, meetingRegistrations, meetings } from './tables.ts';

export type RegistrationRow = typeof meetingRegistrations.$inferSelect;
export type AccessRequestRow = typeof meetingAccessRequests.$inferSelect;

// Registrations and the waiting list. The callers lock the meeting row first (meetings-repository
// `lock`), so counting and then inserting is safe.
export function createRegistrationsRepository(db: Db) {
  return {
    async of(meetingId: number, userId: string, runner: Db | Tx = db): Promise<RegistrationRow | null> {
      const [row] = await runner
        .select()
        .from(meetingRegistrations)
        .where(and(eq(meetingRegistrations.meetingId, meetingId), eq(meetingRegistrations.userId, userId)));
      return row ?? null;
    },

    async byId(id: number, runner: Db | Tx = db): Promise<RegistrationRow | null> {
      const [row] = await runner.select().from(meetingRegistrations).where(eq(meetingRegistrations.id, id));
      return row ?? null;
    },

    async countRegistered(meetingId: number, runner: Db | Tx = db): Promise<number> {
      const [row] = await runner
        .select({ n: count() })
        .from(meetingRegistrations)
        .where(and(eq(meetingRegistrations.meetingId, meetingId), eq(meetingRegistrations.status, 'registered')));
      return Number(row?.n ?? 0);
    },

    // A new registration, or a cancelled one taken up again (it joins the end of any waiting list).
    async put(
      existing: RegistrationRow | null,
      row: {
        meetingId: number;
        userId: string;
        status: 'registered' | 'waitlisted';
        language: string;
        largePrint: boolean;
        papersEarly: boolean;
      },
      tx: Tx,
    ): Promise<RegistrationRow> {
      const now = new Date();
      if (existing) {
        const [updated] = await tx
          .update(meetingRegistrations)
          .set({ ...row, listedAt: now, cancelledAt: null, promotedAt: null, updatedAt: now })
          .where(eq(meetingRegistrations.id, existing.id))
          .returning();
        return updated!;
      }
      const [created] = await tx.insert(meetingRegistrations).values(row).returning();
      return created!;
    },

    async setStatus(id: number, status: RegistrationRow['status'], tx: Tx): Promise<RegistrationRow> {
      const now = new Date();
      const [row] = await tx
        .update(meetingRegistrations)
        .set({
          status,
          updatedAt: now,
          ...(status === 'cancelled' ? { cancelledAt: now } : {}),
          ...(status === 'registered' ? { promotedAt: now } : {}),
        })
        .where(eq(meetingRegistrations.id, id))
        .returning();
      return row!;
    },

    async setPapers(id: number, papers: { largePrint: boolean; papersEarly: boolean }, tx: Tx) {
      await tx
        .update(meetingRegistrations)
        .set({ ...papers, updatedAt: new Date() })
        .where(eq(meetingRegistrations.id, id));
    },

    // The first on the waiting list: listed earliest (then by id, for two listed in the same instant).
    async firstWaitlisted(meetingId: number, tx: Tx): Promise<RegistrationRow | null> {
      const [row] = await tx
        .select()
        .from(meetingRegistrations)
        .where(and(eq(meetingRegistrations.meetingId, meetingId), eq(meetingRegistrations.status, 'waitlisted')))
        .orderBy(asc(meetingRegistrations.listedAt), asc(meetingRegistrations.id))
        .limit(1);
      return row ?? null;
    },

    // Everyone who is or was on a meeting's list, in the order they registered.
    forMeeting: (meetingId: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(meetingRegistrations)
        .where(eq(meetingRegistrations.meetingId, meetingId))
        .orderBy(asc(meetingRegistrations.listedAt), asc(meetingRegistrations.id)),

    // Everyone to tell about a change: registered and waiting.
    toTell: (meetingId: number, tx: Db | Tx) =>
      tx
        .select()
        .from(meetingRegistrations)
        .where(and(eq(meetingRegistrations.meetingId, meetingId), inArray(meetingRegistrations.status, ['registered', 'waitlisted']))),

    // A person's places (not waiting), for giving them up when the account is deleted.
    placesOf: (userId: string, tx: Tx) =>
      tx
        .select()
        .from(meetingRegistrations)
        .where(and(eq(meetingRegistrations.userId, userId), eq(meetingRegistrations.status, 'registered'))),

    // A person's registrations with their meetings, latest first.
    mine: (userId: string) =>
      db
        .select({ registration: meetingRegistrations, meeting: meetings })
        .from(meetingRegistrations)
        .innerJoin(meetings, eq(meetings.id, meetingRegistrations.meetingId))
        .where(eq(meetingRegistrations.userId, userId))
        .orderBy(desc(meetings.startsAt)),

    requestsOf: (registrationId: number, runner: Db | Tx = db) =>
      runner
        .select()
        .from(meetingAccessRequests)
        .where(eq(meetingAccessRequests.registrationId, registrationId))
        .orderBy(asc(meetingAccessRequests.id)),

    async addRequests(registrationId: number, rows: { need: string; detail: string | null }[], tx: Tx) {
      if (rows.length) await tx.insert(meetingAccessRequests).values(rows.map((r) => ({ ...r, registrationId })));
    },

    async removeRequests(ids: number[], tx: Tx) {
      if (ids.length) await tx.delete(meetingAccessRequests).where(inArray(meetingAccessRequests.id, ids));
    },

    // Names and addresses of the people registered, read in the caller's transaction (emails are
    // enqueued there; on one-connection databases a read outside it would wait for it to end).
    async people(ids: string[], runner: Db | Tx = db): Promise<Map<string, { id: string; name: string; email: string }>> {
      if (!ids.length) return new Map();
      const rows = await runner
        .select({ id: user.id, name: user.name, email: user.email })
        .from(user)
        .where(inArray(user.id, [...new Set(ids)]));
      return new Map(rows.map((r) => [r.id, r]));
    },

    async setRequestDetail(id: number, detail: string | null, tx: Tx) {
      await tx.update(meetingAccessRequests).set({ detail }).where(eq(meetingAccessRequests.id, id));
    },
  };
}
export type RegistrationsRepository = ReturnType<typeof createRegistrationsRepository>;
