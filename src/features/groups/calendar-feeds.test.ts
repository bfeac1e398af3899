import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { calendarFeeds } from './tables.ts';
import { addMember, insertGroup, insertMeeting, insertRegistration } from './calendar-test-support.ts';

const DAY = 24 * 3600_000;
const parse = (text: string) => new ICAL.Component(ICAL.parse(text));
const eventsOf = (text: string) => parse(text).getAllSubcomponents('vevent');
const byUid = (text: string) => new Map(eventsOf(text).map((e) => [String(e.getFirstPropertyValue('uid')), e]));
const uid = (id: number) => `meeting-${id}@localhost`;

// A meeting's file answers exactly as the meeting's page does: open events to anyone, a group's
// meetings to its members and the staff who run groups, 404 to everyone else.
describe('a meeting’s calendar file', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const group = await insertGroup(db, { visibility: 'private' });
  const otherGroup = await insertGroup(db);
  const member = await joinedContributor(app, sink, 'Mo Member');
  const outsider = await joinedContributor(app, sink, 'Nina Nonmember');
  const elsewhere = await joinedContributor(app, sink, 'Olu Othergroup');
  await addMember(db, group.id, member.id);
  await addMember(db, otherGroup.id, elsewhere.id);
  const open = await insertMeeting(db, {
    title: 'Open day, with tea; all welcome',
    sequence: 2,
    mode: 'hybrid',
    joinUrl: 'https://video.example/secret-room',
    translations: { cy: { title: 'Diwrnod agored, gyda the', agendaMarkdown: 'Croeso i bawb' } },
  });
  const groupMeeting = await insertMeeting(db, {
    groupId: group.id,
    title: 'Private panel',
    joinUrl: 'https://video.example/panel',
    mode: 'online',
  });
  const cancelled = await insertMeeting(db, { title: 'Called off', status: 'cancelled', sequence: 5, cancelledAt: new Date() });
  const file = (id: number) => `/meetings/${id}/calendar.ics`;

  it('gives anyone an open event’s file: a real calendar with a stable UID, its sequence, UTC times and no joining link', async () => {
    const res = await new Browser(app).get(file(open.id));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="meeting-${open.id}.ics"`);
    const cal = parse(res.body);
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    const e = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(e.uid).toBe(uid(open.id));
    expect(e.sequence).toBe(2);
    expect(e.summary).toBe('Open day, with tea; all welcome');
    expect(e.startDate.toJSDate().getTime()).toBe(open.startsAt.getTime());
    expect(e.endDate.toJSDate().getTime()).toBe(open.endsAt.getTime());
    expect(e.location).toBe('Riverside Community Hall, 1 Mill Lane, Riverside, RV1 2AB');
    expect(e.description).toContain(`Meeting page: http://localhost:3000/meetings/${open.id}`);
    expect(res.body).not.toContain('secret-room');
  });

  it('is in Welsh for a Welsh reader, and the same UID', async () => {
    const res = await new Browser(app).get(`${file(open.id)}?lang=cy`);
    const e = new ICAL.Event(parse(res.body).getFirstSubcomponent('vevent')!);
    expect(e.summary).toBe('Diwrnod agored, gyda the');
    expect(e.description).toContain(`Tudalen y cyfarfod: http://localhost:3000/meetings/${open.id}?lang=cy`);
    expect(e.uid).toBe(uid(open.id));
  });

  it('marks a cancelled meeting cancelled, with its latest sequence', async () => {
    const e = parse((await new Browser(app).get(file(cancelled.id))).body).getFirstSubcomponent('vevent')!;
    expect(e.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(e.getFirstPropertyValue('sequence')).toBe(5);
  });

  it('answers 404 for a group’s meeting to anyone outside it, and gives it to members and the staff who run groups', async () => {
    const staff = await signedInBrowser(app, 'staff');
    const involvement = await signedInBrowser(app, 'involvement');
    const admin = await signedInBrowser(app, 'admin');
    const who: [string, Browser, number][] = [
      ['anonymous', new Browser(app), 404],
      ['contributor, not a member', outsider.browser, 404],
      ['member of another group', elsewhere.browser, 404],
      ['staff without register access', staff.browser, 404],
      ['member', member.browser, 200],
      ['involvement staff', involvement.browser, 200],
      ['admin', admin.browser, 200],
    ];
    const answers = await Promise.all(who.map(async ([name, b]) => [name, (await b.get(file(groupMeeting.id))).statusCode]));
    expect(answers).toEqual(who.map(([name, , status]) => [name, status]));
    const seen = await member.browser.get(file(groupMeeting.id));
    expect(seen.body).toContain('Private panel');
    // The file may be passed on: even a member's copy has no joining link.
    expect(seen.body).not.toContain('video.example/panel');
    expect(seen.headers['cache-control']).toContain('no-store');
    const refused = await outsider.browser.get(file(groupMeeting.id));
    expect(refused.body).not.toContain('Private panel');
  });

  it('answers 404 for a meeting that does not exist or an id that is not one', async () => {
    for (const id of ['999999', 'abc', '0', '99999999999'])
      expect((await new Browser(app).get(`/meetings/${id}/calendar.ics`)).statusCode).toBe(404);
  });

  it('lists upcoming open events in the public feed, never a group’s meeting or a joining link', async () => {
    const past = await insertMeeting(db, { title: 'Long ago', startsAt: new Date(Date.now() - 90 * DAY) });
    const res = await new Browser(app).get('/events/calendar.ics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const events = byUid(res.body);
    expect([...events.keys()].sort()).toEqual([uid(open.id), uid(cancelled.id)].sort());
    expect(events.get(uid(cancelled.id))!.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(events.has(uid(past.id))).toBe(false);
    expect(res.body).not.toContain('video.example');
    expect(parse(res.body).getFirstPropertyValue('x-wr-calname')).toBe('Coproduce: open events');
    expect(res.body).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
  });
});

describe('a contributor’s own calendar address', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const c = await joinedContributor(app, sink, 'Fran Feed');
  const someoneElse = await insertContributor(db, 'Sam Else');
  const group = await insertGroup(db);
  await addMember(db, group.id, c.id);
  const online = await insertMeeting(db, {
    groupId: group.id,
    title: 'Online panel',
    mode: 'online',
    joinUrl: 'https://video.example/fran',
  });
  const waiting = await insertMeeting(db, { title: 'Busy workshop', mode: 'online', joinUrl: 'https://video.example/busy' });
  const droppedOut = await insertMeeting(db, { title: 'Could not make it' });
  const calledOff = await insertMeeting(db, { title: 'Called off', status: 'cancelled', sequence: 1 });
  const lastMonth = await insertMeeting(db, { title: 'Last week', startsAt: new Date(Date.now() - 7 * DAY) });
  const longAgo = await insertMeeting(db, { title: 'Long ago', startsAt: new Date(Date.now() - 60 * DAY) });
  const notMine = await insertMeeting(db, { title: 'Not mine' });
  await insertRegistration(db, online.id, c.id);
  await insertRegistration(db, waiting.id, c.id, { status: 'waitlisted' });
  await insertRegistration(db, droppedOut.id, c.id, { status: 'cancelled', cancelledAt: new Date() });
  await insertRegistration(db, calledOff.id, c.id);
  await insertRegistration(db, lastMonth.id, c.id, { language: 'cy' });
  await insertRegistration(db, longAgo.id, c.id);
  await insertRegistration(db, notMine.id, someoneElse.id);
  const feedPath = async () => {
    const page = await c.browser.get('/profile/calendar');
    return /http:\/\/localhost:3000(\/calendar\/[A-Za-z0-9_-]{43}\.ics)/.exec(page.body)?.[1];
  };
  const audits = (action: string) => db.select().from(auditEvents).where(eq(auditEvents.action, action));

  it('is made when they ask, shown with how to subscribe, and audited', async () => {
    const before = await c.browser.get('/profile/calendar');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('You do not have a calendar address yet.');
    expect(await feedPath()).toBeUndefined();
    const res = await c.browser.submit('/profile/calendar', '/profile/calendar/new', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/profile/calendar?made=1');
    const page = await c.browser.get('/profile/calendar?made=1');
    expect(page.body).toContain('Your new calendar address is ready.');
    for (const app of ['Google Calendar', 'Outlook', 'Apple Calendar']) expect(page.body).toContain(app);
    const path = (await feedPath())!;
    expect(page.body).toContain(`webcal://localhost:3000${path}`);
    const [row] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, c.id));
    expect(path).toBe(`/calendar/${row!.token}.ics`);
    expect(Buffer.from(row!.token, 'base64url')).toHaveLength(32);
    expect((await audits('calendar.feed-created')).map((a) => a.actorUserId)).toEqual([c.id]);
    const welsh = await c.browser.get('/profile/calendar?lang=cy');
    expect(welsh.body).toContain('Eich cyfeiriad calendr');
    await c.browser.get('/profile/calendar?lang=en');
  });

  it('works signed out and holds their places from 30 days ago on: waiting list tentative, cancellations cancelled', async () => {
    const path = (await feedPath())!;
    const res = await new Browser(app).get(path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toContain('no-store');
    const events = byUid(res.body);
    expect([...events.keys()].sort()).toEqual([online, waiting, droppedOut, calledOff, lastMonth].map((m) => uid(m.id)).sort());
    const status = (id: number) => events.get(uid(id))!.getFirstPropertyValue('status');
    expect(status(online.id)).toBe('CONFIRMED');
    expect(status(waiting.id)).toBe('TENTATIVE');
    expect(status(droppedOut.id)).toBe('CANCELLED');
    expect(status(calledOff.id)).toBe('CANCELLED');
    // The joining link: theirs while they have a place, not while they wait for one.
    expect(events.get(uid(online.id))!.getFirstPropertyValue('location')).toBe('https://video.example/fran');
    expect(res.body).not.toContain('video.example/busy');
    // Each in the language they registered in.
    expect(events.get(uid(lastMonth.id))!.getFirstPropertyValue('description')).toContain('Tudalen y cyfarfod');
    expect(res.body).not.toContain('Not mine');
    // Unchanged, it is the same bytes: a program that sends back the ETag is told so.
    const again = await new Browser(app).get(path, { 'if-none-match': String(res.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(parse(res.body).getFirstPropertyValue('x-wr-calname')).toBe('Coproduce: my meetings');
    expect(parse(res.body).getFirstPropertyValue('refresh-interval')!.toString()).toBe('PT1H');
  });

  it('answers 404 to an unknown or malformed token', async () => {
    for (const bad of ['not-a-real-token', 'A'.repeat(43), "x'; drop table calendar_feeds; --"]) {
      const res = await new Browser(app).get(`/calendar/${encodeURIComponent(bad)}.ics`);
      expect(res.statusCode).toBe(404);
    }
  });

  it('asks before making a new address, then the old one stops working at once', async () => {
    const old = (await feedPath())!;
    const ask = await c.browser.get('/profile/calendar/new');
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Make a new calendar address?');
    const res = await c.browser.submit('/profile/calendar/new', '/profile/calendar/new', {});
    expect(res.statusCode).toBe(303);
    const fresh = (await feedPath())!;
    expect(fresh).not.toBe(old);
    expect((await new Browser(app).get(old)).statusCode).toBe(404);
    expect((await new Browser(app).get(fresh)).statusCode).toBe(200);
    expect((await audits('calendar.feed-renewed')).map((a) => a.subjectUserId)).toEqual([c.id]);
  });

  it('shows an empty feed for someone with no meetings, and is refused to staff and the signed out', async () => {
    const other = await joinedContributor(app, sink, 'Eli Empty');
    await other.browser.submit('/profile/calendar', '/profile/calendar/new', {});
    const [row] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, other.id));
    const res = await new Browser(app).get(`/calendar/${row!.token}.ics`);
    expect(res.statusCode).toBe(200);
    expect(eventsOf(res.body)).toHaveLength(0);
    expect((await new Browser(app).get('/profile/calendar')).statusCode).toBe(302);
    const staff = await signedInBrowser(app, 'admin');
    expect((await staff.browser.get('/profile/calendar')).statusCode).toBe(403);
  });

  it('is in "Download my data" without the secret, and goes with the account', async () => {
    const data = JSON.parse((await c.browser.get('/profile/data.json')).body) as { calendarFeed: { hasFeed: boolean; feedMadeAt: string } };
    expect(data.calendarFeed.hasFeed).toBe(true);
    expect(typeof data.calendarFeed.feedMadeAt).toBe('string');
    const [row] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, c.id));
    expect(JSON.stringify(data)).not.toContain(row!.token);
    const page = await c.browser.get('/profile/data');
    expect(page.body).toContain('You have a private calendar address for your meetings');
    expect(page.body).not.toContain(row!.token);
    const path = `/calendar/${row!.token}.ics`;
    await c.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' });
    expect(await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, c.id))).toEqual([]);
    expect((await new Browser(app).get(path)).statusCode).toBe(404);
  });
});
