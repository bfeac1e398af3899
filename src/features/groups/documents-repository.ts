import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { groupAnnouncements, groupDocuments, meetings } from './tables.ts';

export type DocumentRow = typeof groupDocuments.$inferSelect;
export type AnnouncementRow = typeof groupAnnouncements.$inferSelect;

// A group's papers (the bytes are in storage) and its announcements.
export function createDocumentsRepository(db: Db) {
  return {
    async insert(row: typeof groupDocuments.$inferInsert, tx: Db | Tx = db) {
      const [d] = await tx.insert(groupDocuments).values(row).returning();
      return d!;
    },
    // Only within the group: a document id of another group is not found.
    inGroup: async (groupId: number, id: number) =>
      (
        await db
          .select()
          .from(groupDocuments)
          .where(and(eq(groupDocuments.groupId, groupId), eq(groupDocuments.id, id)))
      )[0] ?? null,
    of: (groupId: number) =>
      db.select().from(groupDocuments).where(eq(groupDocuments.groupId, groupId)).orderBy(desc(groupDocuments.createdAt)),
    // Papers for one meeting (the meetings area lists them with the meeting).
    forMeeting: (meetingId: number) =>
      db.select().from(groupDocuments).where(eq(groupDocuments.meetingId, meetingId)).orderBy(asc(groupDocuments.title)),
    // The group's meetings, to file a paper under one (the meetings area owns them; same feature).
    meetingsOf: (groupId: number) =>
      db
        .select({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt })
        .from(meetings)
        .where(eq(meetings.groupId, groupId))
        .orderBy(desc(meetings.startsAt)),
    async remove(id: number, tx: Db | Tx = db) {
      await tx.delete(groupDocuments).where(eq(groupDocuments.id, id));
    },

    async addAnnouncement(row: typeof groupAnnouncements.$inferInsert, tx: Db | Tx = db) {
      const [a] = await tx.insert(groupAnnouncements).values(row).returning();
      return a!;
    },
    setEmailedTo: (id: number, n: number, tx: Db | Tx) =>
      tx.update(groupAnnouncements).set({ emailedTo: n }).where(eq(groupAnnouncements.id, id)),
    announcementsOf: (groupId: number) =>
      db
        .select()
        .from(groupAnnouncements)
        .where(eq(groupAnnouncements.groupId, groupId))
        .orderBy(desc(groupAnnouncements.createdAt), desc(groupAnnouncements.id)),
  };
}
