import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import type { AttendanceRecorded } from './attendance-service.ts';
import { meetingAttendance, meetingRegistrations } from './tables.ts';
import { createMeeting } from './meetings-test-support.ts';

// After a meeting: staff tick who came from the list, add walk-ins, set hours and role; recorded
// again replaces the list; each recording is announced for the involvement records (issue 13).
describe('attendance', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: lead, staff } = await signedInBrowser(app, 'involvement');
  type Person = Awaited<ReturnType<typeof insertContributor>>;
  const heard: AttendanceRecorded[] = [];
  services.events.on('meetings.attendanceRecorded', (r) => heard.push(r));
  // 10:00–12:30 London time on 14 January 2026 (winter: UTC).
  const m = await createMeeting(db, {
    title: 'January panel',
    startsAt: new Date('2026-01-14T10:00:00Z'),
    endsAt: new Date('2026-01-14T12:30:00Z'),
  });
  const [came, chair, absent] = (await Promise.all(
    ['Alaw Attended', 'Carys Chair', 'Aled Absent'].map((n) => insertContributor(db, n)),
  )) as [Person, Person, Person];
  const regs = await db
    .insert(meetingRegistrations)
    .values([came, chair, absent].map((p) => ({ meetingId: m.id, userId: p.id, status: 'registered' as const })))
    .returning();
  const regOf = (id: string) => regs.find((r) => r.userId === id)!.id;
  const path = `/admin/meetings/${m.id}/attendance`;

  it('shows the list with the meeting length as the default hours, and refuses bad hours with nothing saved', async () => {
    const page = await lead.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Alaw Attended');
    expect(page.body).toContain('value="2.5"');
    expect(page.body).toContain('>Co-chair</option>');
    expect(page.body).not.toMatch(/>\s*meetings\./);
    const bad = await lead.submit(path, path, {
      attended: String(regOf(came.id)),
      [`hours-${regOf(came.id)}`]: 'two',
      'walkInName-1': '<b>',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter hours as a number, such as 2 or 1.5');
    expect(bad.body).toContain('Enter a name of up to 120 letters');
    expect(await db.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, m.id))).toEqual([]);
    expect(heard).toEqual([]);
  });

  it('records who came, walk-ins, hours and roles, and announces them', async () => {
    const res = await lead.submit(path, path, {
      attended: [String(regOf(came.id)), String(regOf(chair.id))],
      [`hours-${regOf(came.id)}`]: '',
      [`hours-${regOf(chair.id)}`]: '3',
      [`role-${regOf(chair.id)}`]: 'chair',
      'walkInName-1': 'Gareth Guest',
      'walkInHours-1': '1:30',
      'walkInRole-1': 'speaker',
    });
    expect(res.statusCode).toBe(303);
    const rows = await db.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, m.id));
    expect(rows.map((r) => [r.userId ?? r.walkInName, r.minutes, r.role, r.attendedOn]).sort()).toEqual(
      [
        [came.id, 150, 'member', '2026-01-14'],
        [chair.id, 180, 'chair', '2026-01-14'],
        ['Gareth Guest', 90, 'speaker', '2026-01-14'],
      ].sort(),
    );
    expect(heard).toHaveLength(1);
    expect(heard[0]!.meetingId).toBe(m.id);
    expect(heard[0]!.rows).toHaveLength(3);
    const [entry] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'meeting.attendance-recorded'));
    expect(entry!.actorUserId).toBe(staff.id);
  });

  it('is recorded again from the page as it was, replacing the list', async () => {
    const page = await lead.get(path);
    expect(page.body).toContain('value="Gareth Guest"');
    expect(page.body).toMatch(new RegExp(`value="${regOf(absent.id)}"(?! checked)`));
    await lead.submit(path, path, { attended: String(regOf(absent.id)) });
    const rows = await db.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, m.id));
    expect(rows.map((r) => r.userId)).toEqual([absent.id]);
    expect(heard.at(-1)!.rows).toEqual([{ userId: absent.id, walkInName: null, attendedOn: '2026-01-14', minutes: 150, role: 'member' }]);
  });
});
