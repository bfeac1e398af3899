import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { meetingRegistrations, meetings } from './tables.ts';
import { addMember, createGroup, createMeeting } from './meetings-test-support.ts';

const next = new Date().getUTCFullYear() + 1;
// A meeting on 14 July next year (summer time): 10:00–12:00 in London is 09:00–11:00 UTC.
const form = {
  title: 'Summer panel',
  agenda: '- Welcome\n- <script>alert(1)</script> Our report',
  'date-day': '14',
  'date-month': '7',
  'date-year': String(next),
  startTime: '10:00',
  endTime: '12pm',
  mode: 'in-person',
  venueName: 'Riverside Community Centre',
  venueAddress: '1 River Street',
  venueAccess: ['step-free', 'quiet-room'],
  capacity: '2',
  registration: 'members',
  reminderDays: '7, 1',
};

// Staff schedule, change and cancel meetings; people registered are told what changed.
describe('staff scheduling meetings', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead, staff } = await signedInBrowser(app, 'involvement');
  const group = await createGroup(db);

  it('schedules a group meeting in London time, agenda sanitised, and refuses bad input with nothing saved', async () => {
    const path = `/admin/groups/${group.id}/meetings/new`;
    const bad = await lead.submit(path, path, { ...form, startTime: '14:00', endTime: '13:00', capacity: 'lots', venueAddress: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The end time must be after the start time');
    expect(bad.body).toContain('Enter the number of places as a whole number');
    expect(bad.body).toContain('Enter the address of the venue');
    // Every choice is worded (a key the catalogue lacks would show as the key itself).
    expect(bad.body).toContain('Members of the group only');
    expect(bad.body).not.toMatch(/>\s*meetings\./);
    expect(bad.body).toContain('value="Summer panel"');
    expect(await db.select().from(meetings).where(eq(meetings.groupId, group.id))).toHaveLength(0);

    const res = await lead.submit(path, path, form);
    expect(res.statusCode).toBe(303);
    const [m] = await db.select().from(meetings).where(eq(meetings.groupId, group.id));
    expect(m!.startsAt.toISOString()).toBe(`${next}-07-14T09:00:00.000Z`);
    expect(m!.endsAt.toISOString()).toBe(`${next}-07-14T11:00:00.000Z`);
    expect(m!.agendaHtml).not.toContain('<script');
    expect(m!.venueAccess).toEqual(['step-free', 'quiet-room']);
    expect(res.headers.location).toBe(`/admin/meetings/${m!.id}?saved=created`);
    const page = await lead.get(res.headers.location!);
    expect(page.body).toContain('10am to 12pm');
    expect(page.body).toContain('A quiet room');
    const [entry] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'meeting.created'));
    expect(entry!.actorUserId).toBe(staff.id);
  });

  it('tells everyone registered or waiting what changed, refuses capacity below registrations, and cancels', async () => {
    const m = await createMeeting(db, { groupId: group.id, capacity: 2 });
    const people = await Promise.all(['Ann', 'Bryn', 'Cai'].map((n) => joinedContributor(app, sink, `${n} Registrant`)));
    for (const p of people) {
      await addMember(db, group.id, p.id);
      await p.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {});
    }
    const edit = `/admin/meetings/${m.id}/edit`;
    const page = await lead.get(edit);
    expect(page.statusCode).toBe(200);
    const values = { ...Object.fromEntries([...page.body.matchAll(/name="([\w-]+)"[^>]*value="([^"]*)"/g)].map((x) => [x[1]!, x[2]!])) };
    const fields = { ...values, mode: 'in-person', registration: 'members', venueAddress: '1 River Street, Cardiff', title: m.title };
    const tooSmall = await lead.submit(edit, edit, { ...fields, capacity: '1' });
    expect(tooSmall.statusCode).toBe(400);
    expect(tooSmall.body).toContain('cannot be below the 2 people already registered');

    const moved = await lead.submit(edit, edit, { ...fields, startTime: '11:00', endTime: '13:00' });
    expect(moved.statusCode).toBe(303);
    const [after] = await db.select().from(meetings).where(eq(meetings.id, m.id));
    expect(after!.sequence).toBe(1);
    for (const p of people) {
      const mail = await sink.parse(await waitFor(() => sink.to(p.email).find((d) => d.raw.includes('Meeting changed'))));
      expect(mail.text).toContain('Changed: the date or time.');
    }
    // A change people need not hear about (the agenda) is saved without emails or a new sequence.
    await lead.submit(edit, edit, { ...fields, startTime: '11:00', endTime: '13:00', agenda: 'New agenda' });
    expect((await db.select().from(meetings).where(eq(meetings.id, m.id)))[0]!.sequence).toBe(1);

    const cancel = await lead.submit(`/admin/meetings/${m.id}/cancel`, `/admin/meetings/${m.id}/cancel`, {});
    expect(cancel.statusCode).toBe(303);
    const [cancelled] = await db.select().from(meetings).where(eq(meetings.id, m.id));
    expect([cancelled!.status, cancelled!.sequence]).toEqual(['cancelled', 2]);
    for (const p of people) await waitFor(() => sink.to(p.email).find((d) => d.raw.includes('Meeting cancelled')));
    // A cancelled meeting cannot be changed, even by posting the form.
    const refused = await lead.post(edit, { ...fields, _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! });
    expect(refused.statusCode).toBe(409);
    expect((await db.select().from(meetings).where(eq(meetings.id, m.id)))[0]!.sequence).toBe(2);
  });

  it("lists registrations and the waiting list, and cancels someone's place: the first waiting is promoted and both are told", async () => {
    const m = await createMeeting(db, { registration: 'open', capacity: 1 });
    const [one, two] = await Promise.all([joinedContributor(app, sink, 'Dewi Dropped'), joinedContributor(app, sink, 'Elin Eager')]);
    await one.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {});
    await two.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {});
    const page = await lead.get(`/admin/meetings/${m.id}`);
    expect(page.body).toContain('Dewi Dropped');
    expect(page.body).toContain('1 person waiting');
    const [reg] = await db
      .select()
      .from(meetingRegistrations)
      .where(and(eq(meetingRegistrations.meetingId, m.id), eq(meetingRegistrations.userId, one.id)));
    const action = `/admin/meetings/${m.id}/registrations/${reg!.id}/cancel`;
    expect((await lead.submit(`/admin/meetings/${m.id}`, action, {})).statusCode).toBe(303);
    await waitFor(() => sink.to(one.email).find((d) => d.raw.includes('Your place has been cancelled')));
    await waitFor(() => sink.to(two.email).find((d) => d.raw.includes('A place is yours')));
    const [audited] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'meeting.place-cancelled'));
    expect(audited!.subjectUserId).toBe(one.id);
  });

  it('schedules an open event (anyone may register), lists it, and shows it on a group page partial', async () => {
    const online = { ...form, title: 'Open day', mode: 'online', venueAddress: '', joinUrl: 'javascript:alert(1)' };
    const res = await lead.submit('/admin/meetings/new', '/admin/meetings/new', online);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter a joining link that starts with https://');
    const ok = await lead.submit('/admin/meetings/new', '/admin/meetings/new', { ...form, title: 'Open day', registration: 'members' });
    expect(ok.statusCode).toBe(303);
    const [event] = await db.select().from(meetings).where(eq(meetings.title, 'Open day'));
    expect([event!.groupId, event!.registration]).toEqual([null, 'open']);
    expect((await lead.get('/admin/meetings')).body).toContain('Open day');
    const html = app.nunjucks.render('groups/views/meetings/_group-meetings.njk', {
      lang: 'en',
      groupMeetings: await app.services.meetings.forGroup(group.id),
      groupId: group.id,
      canSchedule: true,
    });
    expect(html).toContain('Summer panel');
    expect(html).toContain(`/admin/groups/${group.id}/meetings/new`);
  });
});
