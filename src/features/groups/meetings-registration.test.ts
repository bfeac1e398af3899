import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { meetingAccessRequests, meetingRegistrations } from './tables.ts';
import { addMember, createGroup, createMeeting } from './meetings-test-support.ts';

const asUser = (p: { id: string; name: string; email: string }): CurrentUser => ({ ...p, role: 'contributor', jobTitle: null });

// Registering: a place or the waiting list, counted with the meeting locked; cancelling promotes
// the first waiting, with an email; closed registration, registering twice, members only.
describe('registering for meetings', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const group = await createGroup(db);
  const statuses = async (meetingId: number) =>
    (await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.meetingId, meetingId))).map((r) => r.status).sort();

  it('gives a member a place, with their needs, and emails them', async () => {
    const member = await joinedContributor(app, sink, 'Mair Member');
    await addMember(db, group.id, member.id);
    const m = await createMeeting(db, { groupId: group.id, capacity: 1 });
    const form = await member.browser.get(`/meetings/${m.id}/register`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('What do you need for this meeting?');
    const res = await member.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {
      needs: ['bsl-interpreter', 'dietary'],
      dietaryDetail: 'Vegetarian',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/meetings/${m.id}?saved=registered`);
    const page = await member.browser.get(`/meetings/${m.id}`);
    expect(page.body).toContain('You are registered for this meeting.');
    expect(page.body).toContain('Dietary needs: Vegetarian');
    const [reg] = await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.meetingId, m.id));
    const requests = await db.select().from(meetingAccessRequests).where(eq(meetingAccessRequests.registrationId, reg!.id));
    expect(requests.map((r) => [r.need, r.detail]).sort()).toEqual([
      ['bsl-interpreter', null],
      ['dietary', 'Vegetarian'],
    ]);
    const mail = await sink.parse(await waitFor(() => sink.to(member.email).find((d) => d.raw.includes('registered'))));
    expect(mail.subject).toBe(`You are registered: ${m.title}`);

    // Twice: a clear message, nothing changed.
    const again = await member.browser.post(`/meetings/${m.id}/register`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('You are already on the list for this meeting. Nothing has changed.');
    expect(await statuses(m.id)).toEqual(['registered']);
  });

  it('offers the waiting list when full, and promotes the first waiting when a place is cancelled', async () => {
    const m = await createMeeting(db, { groupId: group.id, capacity: 1, registration: 'open' });
    const first = await joinedContributor(app, sink, 'Fflur First');
    const second = await joinedContributor(app, sink, 'Sion Second');
    const third = await joinedContributor(app, sink, 'Tomos Third');
    const register = (b: Browser) => b.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {});
    expect((await register(first.browser)).headers.location).toBe(`/meetings/${m.id}?saved=registered`);
    const full = await second.browser.get(`/meetings/${m.id}/register`);
    expect(full.body).toContain('This meeting is full. If you carry on, you will join the waiting list');
    expect(full.body).toContain('Join the waiting list');
    expect((await register(second.browser)).headers.location).toBe(`/meetings/${m.id}?saved=waitlisted`);
    expect((await register(third.browser)).headers.location).toBe(`/meetings/${m.id}?saved=waitlisted`);
    expect(await statuses(m.id)).toEqual(['registered', 'waitlisted', 'waitlisted']);

    const cancel = await first.browser.submit(`/meetings/${m.id}`, `/meetings/${m.id}/cancel`, {});
    expect(cancel.statusCode).toBe(303);
    const rows = await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.meetingId, m.id));
    const of = (id: string) => rows.find((r) => r.userId === id)!;
    expect([of(first.id).status, of(second.id).status, of(third.id).status]).toEqual(['cancelled', 'registered', 'waitlisted']);
    expect(of(second.id).promotedAt).not.toBeNull();
    const promoted = await sink.parse(await waitFor(() => sink.to(second.email).find((d) => /A place is yours/.test(d.raw))));
    expect(promoted.text).toContain('it is yours');
  });

  it('refuses members-only meetings to non-members, and closed registration to everyone', async () => {
    const outsider = await joinedContributor(app, sink, 'Owain Outsider');
    const membersOnly = await createMeeting(db, { groupId: group.id });
    // A group's members-only meeting is not even there for someone outside the group.
    expect((await outsider.browser.get(`/meetings/${membersOnly.id}`)).statusCode).toBe(404);
    const closed = await createMeeting(db, { registration: 'open', registrationClosesAt: new Date(Date.now() - 60_000) });
    const page = await outsider.browser.get(`/meetings/${closed.id}`);
    expect(page.body).toContain('Registration for this meeting has closed.');
    const res = await outsider.browser.submit(`/meetings/${closed.id}`, `/meetings/${closed.id}/register`, {});
    expect(res.statusCode).toBe(409);
    expect(await statuses(closed.id)).toEqual([]);
    const started = await createMeeting(db, { startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + 3_600_000) });
    expect(await services.meetingRegistrations.stateFor(asUser(outsider), started)).toBe('closed');
  });

  it('sends someone signed out to sign in or join, and back', async () => {
    const m = await createMeeting(db, { registration: 'open' });
    const anon = new Browser(app);
    const page = await anon.get(`/meetings/${m.id}/register`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/sign-in/email?next=${encodeURIComponent(`/meetings/${m.id}/register`)}`);
    expect(page.body).toContain(`name="next" value="/meetings/${m.id}/register"`);
    const post = await anon.post(`/meetings/${m.id}/register`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! });
    expect(post.statusCode).toBe(302);
    expect(post.headers.location).toBe(`/sign-in/email?next=${encodeURIComponent(`/meetings/${m.id}/register`)}`);
    expect(await statuses(m.id)).toEqual([]);
  });

  it('gives exactly the places there are to 50 people registering at once, and loses nobody', async () => {
    const m = await createMeeting(db, { registration: 'open', capacity: 20 });
    const people = await Promise.all(Array.from({ length: 50 }, (_, i) => insertContributor(db, `Rush ${i}`)));
    const outcomes = await Promise.all(people.map((p) => services.meetingRegistrations.register(asUser(p), m.id, {}, 'en')));
    expect(outcomes.filter((o) => o.kind === 'registered')).toHaveLength(20);
    expect(outcomes.filter((o) => o.kind === 'waitlisted')).toHaveLength(30);
    const rows = await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.meetingId, m.id));
    expect(rows).toHaveLength(50);
    expect(rows.filter((r) => r.status === 'registered')).toHaveLength(20);
    expect(
      await db
        .select()
        .from(meetingRegistrations)
        .where(and(eq(meetingRegistrations.meetingId, m.id), eq(meetingRegistrations.status, 'waitlisted'))),
    ).toHaveLength(30);
  }, 30_000);

  it('emails in the language the person registered in, and moves the waiting list up when staff add places', async () => {
    const m = await createMeeting(db, { registration: 'open', capacity: 1 });
    const first = await joinedContributor(app, sink, 'Gethin Cyntaf');
    const welsh = await joinedContributor(app, sink, 'Heledd Cymraeg');
    await first.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {});
    await welsh.browser.get('/?lang=cy');
    await welsh.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {});
    const listed = await sink.parse(await waitFor(() => sink.to(welsh.email).find((d) => d.raw.includes('rhestr aros'))));
    expect(listed.subject).toBe(`Rydych ar y rhestr aros: ${m.title}`);

    const { browser: lead } = await signedInBrowser(app, 'involvement');
    const edit = `/admin/meetings/${m.id}/edit`;
    const page = await lead.get(edit);
    const fields = Object.fromEntries([...page.body.matchAll(/name="([\w-]+)"[^>]*value="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    const res = await lead.submit(edit, edit, {
      ...fields,
      mode: 'in-person',
      registration: 'open',
      venueAddress: '1 River Street',
      capacity: '2',
    });
    expect(res.statusCode).toBe(303);
    expect(await statuses(m.id)).toEqual(['registered', 'registered']);
    const promoted = await sink.parse(await waitFor(() => sink.to(welsh.email).find((d) => d.raw.includes('Mae lle i chi'))));
    expect(promoted.subject).toBe(`Mae lle i chi: ${m.title}`);
  });
});
