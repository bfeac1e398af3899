import { and, asc, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { groups, meetings } from './tables.ts';

export type MeetingRow = typeof meetings.$inferSelect;
export type NewMeeting = typeof meetings.$inferInsert;

// Meetings themselves: the rows, and the lists the pages show.
export function createMeetingsRepository(db: Db) {
  return {
    async byId(id: number, runner: Db | Tx = db): Promise<MeetingRow | null> {
      const [row] = await runner.select().from(meetings).where(eq(meetings.id, id));
      return row ?? null;
    },

    // The meeting row locked until the transaction ends: registrations, cancellations and staff
    // changes to one meeting happen one after another, so places are never over-given.
    async lock(id: number, tx: Tx): Promise<MeetingRow | null> {
      const [row] = await tx.select().from(meetings).where(eq(meetings.id, id)).for('update');
      return row ?? null;
    },

    async insert(row: NewMeeting, tx: Db | Tx = db): Promise<MeetingRow> {
      const [created] = await tx.insert(meetings).values(row).returning();
      return created!;
    },

    async update(id: number, values: Partial<NewMeeting>, tx: Db | Tx = db): Promise<MeetingRow> {
      const [row] = await tx
        .update(meetings)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(meetings.id, id))
        .returning();
      return row!;
    },

    forGroup: (groupId: number) => db.select().from(meetings).where(eq(meetings.groupId, groupId)).orderBy(asc(meetings.startsAt)),

    // Open events (no group) not yet over and not cancelled, soonest first.
    upcomingOpen: (now: Date) =>
      db
        .select()
        .from(meetings)
        .where(and(isNull(meetings.groupId), eq(meetings.status, 'scheduled'), gte(meetings.endsAt, now)))
        .orderBy(asc(meetings.startsAt)),

    // Staff's list: every meeting with its group's name, upcoming soonest first or past latest first.
    async staffList(now: Date, past: boolean) {
      return db
        .select({ meeting: meetings, groupName: groups.name })
        .from(meetings)
        .leftJoin(groups, eq(groups.id, meetings.groupId))
        .where(past ? lt(meetings.endsAt, now) : gte(meetings.endsAt, now))
        .orderBy(past ? desc(meetings.startsAt) : asc(meetings.startsAt))
        .limit(200);
    },

    async groupName(groupId: number): Promise<string | null> {
      const [row] = await db.select({ name: groups.name }).from(groups).where(eq(groups.id, groupId));
      return row?.name ?? null;
    },

    async groupExists(groupId: number): Promise<boolean> {
      const [row] = await db
        .select({ n: sql<number>`1` })
        .from(groups)
        .where(eq(groups.id, groupId));
      return !!row;
    },
  };
}
export type MeetingsRepository = ReturnType<typeof createMeetingsRepository>;
