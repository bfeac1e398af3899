import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { meetingAttendance } from './tables.ts';

export type AttendanceRow = typeof meetingAttendance.$inferSelect;
export type NewAttendance = typeof meetingAttendance.$inferInsert;

export function createAttendanceRepository(db: Db) {
  return {
    forMeeting: (meetingId: number) =>
      db.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, meetingId)).orderBy(asc(meetingAttendance.id)),

    // Recorded again from scratch: the form shows the whole list each time.
    async replace(meetingId: number, rows: NewAttendance[], tx: Tx): Promise<AttendanceRow[]> {
      await tx.delete(meetingAttendance).where(eq(meetingAttendance.meetingId, meetingId));
      return rows.length ? tx.insert(meetingAttendance).values(rows).returning() : [];
    },

    ofPerson: (userId: string) => db.select().from(meetingAttendance).where(eq(meetingAttendance.userId, userId)),
  };
}
