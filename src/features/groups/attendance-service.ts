import type { Db, Tx } from '#src/db/client.ts';
import { hasControlCharacters } from '#src/lib/fields.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createAttendanceRepository, type NewAttendance } from './attendance-repository.ts';
import { createMeetingsRepository, type MeetingRow } from './meetings-repository.ts';
import { MinutesSchema } from './meetings-schema.ts';
import { minutesBetween, utcToLondon } from './meetings-time.ts';
import { createRegistrationsRepository } from './registrations-repository.ts';
import { createGroupsRepository } from './groups-repository.ts';
import { attendanceRoles } from './tables.ts';

const V = 'meetings.admin.validation';
export const WALK_IN_ROWS = 3;

// Each attendance, for whoever listens after it is saved: person (or a walk-in's name), the
// meeting, its date, minutes and role. (Involvement records are made in the same transaction,
// through the involvement service, so none is lost if the process stops.)
export type AttendanceRecorded = {
  meetingId: number;
  title: string;
  groupId: number | null;
  rows: { userId: string | null; walkInName: string | null; attendedOn: string; minutes: number; role: string }[];
};

declare module '#src/platform/events.ts' {
  interface DomainEvents {
    'meetings.attendanceRecorded': [recorded: AttendanceRecorded];
  }
}

const one = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const asList = (v: unknown) => (v === undefined || v === '' ? [] : [v].flat().map(String));

// "2", "1.5", "1:30": hours as minutes, or null.
function readHours(raw: string): number | null {
  const colon = /^(\d{1,2}):([0-5]\d)$/.exec(raw);
  if (colon) return Number(colon[1]) * 60 + Number(colon[2]);
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(raw)) return null;
  const minutes = Math.round(Number(raw) * 60);
  return minutes >= 1 && minutes <= 24 * 60 ? minutes : null;
}

// Attendance and minutes, after the meeting.
export function createAttendanceService(db: Db, ctx: FeatureContext) {
  const repo = createAttendanceRepository(db);
  const meetings = createMeetingsRepository(db);
  const regs = createRegistrationsRepository(db);
  const groupsRepo = createGroupsRepository(db);
  const { audit, events } = ctx.services;

  // Attendance is involvement: each person who attended (not walk-ins, who have no account) gets a
  // record, in the same transaction, paid by the rate card's 'meeting' rate. The group's staff lead
  // (else whoever scheduled the meeting) approves the claims.
  async function syncInvolvement(m: MeetingRow, rows: NewAttendance[], staffId: string, tx: Tx) {
    const group = m.groupId ? await groupsRepo.byId(m.groupId, tx) : null;
    // The involvement feature comes later in the list: its service is looked up when used.
    await ctx.services.involvementRecords.syncSource(
      {
        source: 'meeting',
        sourceId: m.id,
        title: m.title,
        path: `/meetings/${m.id}`,
        activityKind: 'meeting',
        groupId: group?.id ?? null,
        groupName: group?.name ?? null,
        leadUserId: group?.leadUserId ?? m.createdBy ?? null,
        recordedBy: staffId,
        people: rows.flatMap((r) =>
          r.userId ? [{ userId: r.userId, occurredOn: r.attendedOn, minutes: r.minutes, role: r.role ?? 'member' }] : [],
        ),
      },
      tx,
    );
  }

  // The form: ticked registrations (`attended` = registration ids) with `hours-<id>` and `role-<id>`,
  // and walk-ins (`walkInName-<n>`, `walkInHours-<n>`, `walkInRole-<n>`).
  function readForm(m: MeetingRow, regIds: Map<number, string>, body: Record<string, unknown>) {
    const errors: FieldErrors = {};
    const rows: NewAttendance[] = [];
    const attendedOn = utcToLondon(m.startsAt).date;
    const base = { meetingId: m.id, attendedOn };
    const hoursOf = (field: string) => {
      const raw = one(body[field]);
      if (!raw) return minutesBetween(m.startsAt, m.endsAt);
      const minutes = readHours(raw);
      if (minutes === null) errors[field] = msg(`${V}.hours`);
      return minutes ?? 0;
    };
    const roleOf = (field: string) => {
      const role = one(body[field]) || 'member';
      if (!(attendanceRoles as readonly string[]).includes(role)) errors[field] = msg(`${V}.fromList`);
      return role as NewAttendance['role'];
    };
    for (const id of new Set(asList(body.attended))) {
      const userId = regIds.get(Number(id));
      if (!userId) {
        errors.attended = msg(`${V}.fromList`);
        continue;
      }
      rows.push({ ...base, userId, minutes: hoursOf(`hours-${id}`), role: roleOf(`role-${id}`) });
    }
    for (let n = 1; n <= WALK_IN_ROWS + 20; n++) {
      const name = one(body[`walkInName-${n}`]);
      if (!name) continue;
      if (name.length > 120 || hasControlCharacters(name) || /[<>]/.test(name)) errors[`walkInName-${n}`] = msg(`${V}.walkInName`);
      rows.push({ ...base, walkIn: true, walkInName: name, minutes: hoursOf(`walkInHours-${n}`), role: roleOf(`walkInRole-${n}`) });
    }
    return { errors, rows };
  }

  return {
    forMeeting: (meetingId: number) => repo.forMeeting(meetingId),

    // Re-recordable: each time replaces the list, and the event carries the whole list again.
    async record(
      staff: CurrentUser,
      meetingId: number,
      form: Record<string, unknown>,
    ): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const m = await meetings.byId(meetingId);
      if (!m) return { ok: false, errors: { form: msg(`${V}.fromList`) } };
      const regIds = new Map((await regs.forMeeting(meetingId)).map((r) => [r.id, r.userId]));
      const { errors, rows } = readForm(m, regIds, form);
      if (Object.keys(errors).length) return { ok: false, errors };
      const saved = await db.transaction(async (tx) => {
        const inserted = await repo.replace(
          m.id,
          rows.map((r) => ({ ...r, recordedBy: staff.id })),
          tx,
        );
        await meetings.update(m.id, { attendanceRecordedAt: new Date() }, tx);
        await syncInvolvement(m, rows, staff.id, tx);
        await audit.record(
          { actorUserId: staff.id, action: 'meeting.attendance-recorded', details: { meetingId: m.id, people: inserted.length } },
          tx,
        );
        return inserted;
      });
      events.emit('meetings.attendanceRecorded', {
        meetingId: m.id,
        title: m.title,
        groupId: m.groupId,
        rows: saved.map((r) => ({
          userId: r.userId,
          walkInName: r.walkInName,
          attendedOn: r.attendedOn,
          minutes: r.minutes,
          role: r.role,
        })),
      });
      return { ok: true };
    },

    // Minutes: a draft for staff, published to members, or public.
    async saveMinutes(staff: CurrentUser, meetingId: number, form: unknown): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
      const v = validateForm(MinutesSchema, form);
      if (!v.ok) return v;
      const published = v.value.publish !== 'draft';
      await db.transaction(async (tx) => {
        const before = await meetings.byId(meetingId, tx);
        await meetings.update(
          meetingId,
          {
            minutesMarkdown: v.value.minutes,
            minutesHtml: renderMarkdown(v.value.minutes),
            minutesPublishedAt: published ? (before?.minutesPublishedAt ?? new Date()) : null,
            minutesPublic: v.value.publish === 'public',
          },
          tx,
        );
        await audit.record(
          { actorUserId: staff.id, action: 'meeting.minutes-saved', details: { meetingId, publish: v.value.publish } },
          tx,
        );
      });
      return { ok: true };
    },

    async exportFor(userId: string) {
      return (await repo.ofPerson(userId)).map((a) => ({ meetingId: a.meetingId, date: a.attendedOn, minutes: a.minutes, role: a.role }));
    },
  };
}
export type AttendanceService = ReturnType<typeof createAttendanceService>;
