import type { Db, Tx } from '#src/db/client.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { createRecordsRepository, type NewRecord, type RecordRow } from './records-repository.ts';
import type { RecordSource } from './tables.ts';

// What another feature says happened, for every person who took part: a meeting's attendance, an
// opportunity's task, a document review. The owning feature calls `syncSource` in the same
// transaction that saved it, so a record exists if and only if the attendance does.
export type SourceActivity = {
  source: Exclude<RecordSource, 'manual'>;
  sourceId: number;
  title: string;
  path: string | null;
  activityKind: string | null;
  groupId: number | null;
  groupName: string | null;
  leadUserId: string | null;
  recordedBy: string | null;
  people: { userId: string; occurredOn: string; minutes: number; role: string }[];
};

export function createRecordsService(db: Db, ctx: FeatureContext) {
  const repo = createRecordsRepository(db);

  return {
    byId: (id: number, runner: Db | Tx = db) => repo.byId(id, runner),
    ofPerson: (userId: string) => repo.ofPerson(userId),
    recent: (limit = 50) => repo.recent(limit),

    // The whole list again each time (attendance is re-recordable): people added or changed are
    // brought up to date, people taken off lose their record unless they have claimed for it.
    async syncSource(activity: SourceActivity, tx: Db | Tx): Promise<RecordRow[]> {
      const rows: NewRecord[] = activity.people.map((p) => ({
        userId: p.userId,
        source: activity.source,
        sourceId: activity.sourceId,
        title: activity.title,
        path: activity.path,
        activityKind: activity.activityKind,
        groupId: activity.groupId,
        groupName: activity.groupName,
        leadUserId: activity.leadUserId,
        occurredOn: p.occurredOn,
        minutes: p.minutes,
        units: 1,
        role: p.role,
        createdBy: activity.recordedBy,
      }));
      await repo.removeOthersOfSource(
        activity.source,
        activity.sourceId,
        rows.map((r) => r.userId),
        tx,
      );
      const saved = await repo.upsertForSource(rows, tx);
      await noteInvolved(saved, tx);
      return saved;
    },

    // A record staff write by hand ("spoke at our conference").
    async add(row: NewRecord, tx: Db | Tx = db): Promise<RecordRow> {
      const saved = await repo.insert({ ...row, source: 'manual', sourceId: null }, tx);
      await noteInvolved([saved], tx);
      return saved;
    },

    // "What difference it made", written by staff and shown to the person on their records.
    setDifference: (id: number, difference: string | null, tx: Db | Tx = db) => repo.update(id, { difference }, tx),

    // Hours and numbers of records per tax year ('2026-27'), newest first.
    async totalsOf(userId: string) {
      return (await repo.totalsOf(userId)).map((t) => ({
        taxYear: `${t.taxYearStart}-${String((t.taxYearStart + 1) % 100).padStart(2, '0')}`,
        records: t.records,
        minutes: t.minutes,
      }));
    },

    async exportFor(userId: string) {
      return (await repo.ofPerson(userId)).map(({ record: r }) => ({
        id: r.id,
        date: r.occurredOn,
        activity: r.title,
        group: r.groupName,
        role: r.role,
        minutes: r.minutes,
        units: r.units,
        source: r.source,
        difference: r.difference,
      }));
    },
  };

  // The register's "last involved" follows the records.
  async function noteInvolved(rows: RecordRow[], tx: Db | Tx) {
    const latest = new Map<string, string>();
    for (const r of rows) if ((latest.get(r.userId) ?? '') < r.occurredOn) latest.set(r.userId, r.occurredOn);
    const byDay = new Map<string, string[]>();
    for (const [userId, day] of latest) byDay.set(day, [...(byDay.get(day) ?? []), userId]);
    for (const [day, userIds] of byDay) await ctx.services.profile.noteInvolved(userIds, new Date(`${day}T12:00:00Z`), tx);
  }
}
export type RecordsService = ReturnType<typeof createRecordsService>;
