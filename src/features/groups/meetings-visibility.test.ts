import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { meetingAccessRequests, meetingAttendance, meetingRegistrations } from './tables.ts';
import { addMember, createGroup, createMeeting } from './meetings-test-support.ts';

const minutes = 60_000;

// Who sees a meeting, its joining link and its minutes, as each role; a person's own list; and
// their registrations in "Download my data" and gone with the account.
describe('who sees a meeting', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const group = await createGroup(db);
  const otherGroup = await createGroup(db);
  const member = await joinedContributor(app, sink, 'Mererid Member');
  const stranger = await joinedContributor(app, sink, 'Steffan Stranger');
  const otherMember = await joinedContributor(app, sink, 'Osian Othergroup');
  await addMember(db, group.id, member.id);
  await addMember(db, otherGroup.id, otherMember.id);
  const visitors = {
    anonymous: new Browser(app),
    stranger: stranger.browser,
    otherMember: otherMember.browser,
    staff: (await signedInBrowser(app, 'staff')).browser,
    member: member.browser,
    involvement: (await signedInBrowser(app, 'involvement')).browser,
    admin: (await signedInBrowser(app, 'admin')).browser,
  };
  const statusFor = async (url: string) =>
    Object.fromEntries(await Promise.all(Object.entries(visitors).map(async ([who, b]) => [who, (await b.get(url)).statusCode])));

  it("shows a group's meeting to its members and the staff who run groups, and to nobody else (404)", async () => {
    const m = await createMeeting(db, { groupId: group.id, title: 'Private panel' });
    expect(await statusFor(`/meetings/${m.id}`)).toEqual({
      anonymous: 404,
      stranger: 404,
      otherMember: 404,
      staff: 404,
      member: 200,
      involvement: 200,
      admin: 200,
    });
    expect(await statusFor(`/meetings/${m.id}/register`)).toMatchObject({ anonymous: 404, stranger: 404, otherMember: 404, staff: 404 });
    // The staff pages answer only those who run groups.
    const staffPage = await statusFor(`/admin/meetings/${m.id}`);
    expect([staffPage.involvement, staffPage.admin, staffPage.staff, staffPage.member]).toEqual([200, 200, 403, 403]);
  });

  it('shows a group meeting open to everyone to any signed-in contributor, and an open event to all', async () => {
    const open = await createMeeting(db, { groupId: group.id, registration: 'open' });
    const status = await statusFor(`/meetings/${open.id}`);
    expect([status.anonymous, status.stranger, status.otherMember, status.member]).toEqual([404, 200, 200, 200]);
    const event = await createMeeting(db, { title: 'Open day at the hospital', registration: 'open' });
    expect(Object.values(await statusFor(`/meetings/${event.id}`))).toEqual([200, 200, 200, 200, 200, 200, 200]);
    const events = await visitors.anonymous.get('/events');
    expect(events.body).toContain('Open day at the hospital');
    expect(events.body).not.toContain(open.title);
    // In Welsh, staff's words are marked as English.
    const cy = await new Browser(app).get(`/meetings/${event.id}?lang=cy`);
    expect(cy.body).toContain('<h1 lang="en">Open day at the hospital</h1>');
    expect(cy.body).toContain('Mynediad heb risiau');
  });

  it('shows the joining link only to people registered, from an hour before until the end', async () => {
    const join = 'https://meet.example.org/panel-42';
    const soon = await createMeeting(db, {
      groupId: group.id,
      mode: 'online',
      joinUrl: join,
      startsAt: new Date(Date.now() + 30 * minutes),
      endsAt: new Date(Date.now() + 90 * minutes),
    });
    const later = await createMeeting(db, { groupId: group.id, mode: 'hybrid', joinUrl: join });
    for (const m of [soon, later]) await member.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {});
    expect((await member.browser.get(`/meetings/${soon.id}`)).body).toContain(`href="${join}"`);
    const early = await member.browser.get(`/meetings/${later.id}`);
    expect(early.body).not.toContain(join);
    expect(early.body).toContain('The link to join online appears here 60 minutes before the meeting starts.');
    // During the meeting the link stays, and the place can no longer be given up; after it, the link is gone.
    const during = await createMeeting(db, {
      groupId: group.id,
      mode: 'online',
      joinUrl: join,
      startsAt: new Date(Date.now() - 10 * minutes),
      endsAt: new Date(Date.now() + 50 * minutes),
    });
    const over = await createMeeting(db, {
      groupId: group.id,
      mode: 'online',
      joinUrl: join,
      startsAt: new Date(Date.now() - 90 * minutes),
      endsAt: new Date(Date.now() - 30 * minutes),
    });
    for (const m of [during, over])
      await db.insert(meetingRegistrations).values({ meetingId: m.id, userId: member.id, status: 'registered' });
    const now = await member.browser.get(`/meetings/${during.id}`);
    expect(now.body).toContain(`href="${join}"`);
    expect(now.body).not.toContain('Cancel my place');
    expect(
      (await member.browser.post(`/meetings/${during.id}/cancel`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(now.body)![1]! }))
        .statusCode,
    ).toBe(409);
    expect((await member.browser.get(`/meetings/${over.id}`)).body).not.toContain(join);
    // Not registered, in another group, or staff: never on the public page.
    for (const b of [visitors.otherMember, visitors.stranger, visitors.involvement])
      expect((await b.get(`/meetings/${soon.id}`)).body).not.toContain(join);
  });

  it('shows published minutes to members, and to everyone who can see the page only when public', async () => {
    const m = await createMeeting(db, { registration: 'open', title: 'Open forum' });
    const admin = visitors.admin;
    const path = `/admin/meetings/${m.id}/minutes`;
    expect((await admin.submit(path, path, { minutes: '', publish: 'members' })).statusCode).toBe(400);
    await admin.submit(path, path, { minutes: 'We agreed **three** things.', publish: 'members' });
    expect((await visitors.anonymous.get(`/meetings/${m.id}`)).body).not.toContain('three');
    expect((await admin.get(`/meetings/${m.id}`)).body).toContain('<strong>three</strong>');
    await admin.submit(path, path, { minutes: 'We agreed **three** things.', publish: 'public' });
    expect((await visitors.anonymous.get(`/meetings/${m.id}`)).body).toContain('<strong>three</strong>');
  });

  it("opens a group meeting's page to everyone once its minutes are public, and lists them on a public group's page", async () => {
    const publicGroup = await createGroup(db, { visibility: 'public' });
    const day = 86_400_000;
    const past = { startsAt: new Date(Date.now() - 8 * day), endsAt: new Date(Date.now() - 8 * day + 7_200_000) };
    const m = await createMeeting(db, { groupId: publicGroup.id, title: 'Spring panel meeting', ...past });
    const kept = await createMeeting(db, { groupId: publicGroup.id, title: 'Winter panel meeting', ...past });
    const path = `/admin/meetings/${m.id}/minutes`;
    await visitors.admin.submit(path, path, { minutes: 'We chose the **new leaflet**.', publish: 'members' });
    expect((await visitors.anonymous.get(`/meetings/${m.id}`)).statusCode).toBe(404);
    expect((await visitors.anonymous.get(`/groups/${publicGroup.slug}`)).body).not.toContain('Spring panel meeting');
    await visitors.admin.submit(path, path, { minutes: 'We chose the **new leaflet**.', publish: 'public' });
    const page = await visitors.anonymous.get(`/meetings/${m.id}`);
    expect(page.body).toContain('<strong>new leaflet</strong>');
    const groupPage = (await visitors.anonymous.get(`/groups/${publicGroup.slug}`)).body;
    expect(groupPage).toContain(`href="/meetings/${m.id}#minutes"`);
    expect(groupPage).not.toContain(kept.title);
    expect((await visitors.anonymous.get(`/meetings/${kept.id}`)).statusCode).toBe(404);
  });

  it("lists a contributor's meetings, puts them in their data, and erases them with the account (the place goes to the next)", async () => {
    const leaver = await joinedContributor(app, sink, 'Llinos Leaving');
    const waiting = await joinedContributor(app, sink, 'Wil Waiting');
    const m = await createMeeting(db, { registration: 'open', capacity: 1, title: 'Carers forum' });
    await leaver.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, { needs: 'captions' });
    await waiting.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {});
    const mine = await leaver.browser.get('/profile/meetings');
    expect(mine.body).toContain('Carers forum');
    expect((await waiting.browser.get('/profile/meetings')).body).toMatch(/Waiting lists you are on[\s\S]*Carers forum/);
    const data = JSON.parse((await leaver.browser.get('/profile/data.json')).body) as Record<string, { meeting: string }[]>;
    expect(data.meetingRegistrations).toEqual([
      expect.objectContaining({
        meeting: 'Carers forum',
        status: 'registered',
        accessRequests: [expect.objectContaining({ need: 'captions' })],
      }),
    ]);
    expect((await leaver.browser.get('/profile/data')).body).toContain('Your meetings');

    const [reg] = await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.userId, leaver.id));
    await db.insert(meetingAttendance).values({ meetingId: m.id, userId: leaver.id, attendedOn: '2026-01-01', minutes: 60 });
    expect((await leaver.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' })).statusCode).toBe(303);
    expect(await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.userId, leaver.id))).toEqual([]);
    expect(await db.select().from(meetingAccessRequests).where(eq(meetingAccessRequests.registrationId, reg!.id))).toEqual([]);
    expect(await db.select().from(meetingAttendance).where(eq(meetingAttendance.userId, leaver.id))).toEqual([]);
    const [promoted] = await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.userId, waiting.id));
    expect(promoted!.status).toBe('registered');
    await waitFor(() => sink.to(waiting.email).find((d) => d.raw.includes('A place is yours')));
  });
});
