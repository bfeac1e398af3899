import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { contributorProfiles } from '#src/features/profile/tables.ts';
import { meetingAccessRequests, meetingRegistrations } from './tables.ts';
import { createMeeting } from './meetings-test-support.ts';

const day = 86_400_000;

// Access needs per meeting: pre-filled from the profile, editable, saved to the profile only when
// asked; staff's list (every look audited), marked arranged with the person told; deleted a set
// time after the meeting.
describe('access needs for a meeting', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead, staff } = await signedInBrowser(app, 'involvement');
  const person = await joinedContributor(app, sink, 'Nia Needs');
  await db
    .update(contributorProfiles)
    .set({ accessNeeds: ['step-free', 'support-person'], formats: ['large-print', 'bsl'], accessNeedsNotes: 'I tire easily' })
    .where(eq(contributorProfiles.userId, person.id));
  const requestsOf = async (meetingId: number) => {
    const [reg] = await db
      .select()
      .from(meetingRegistrations)
      .where(and(eq(meetingRegistrations.meetingId, meetingId), eq(meetingRegistrations.userId, person.id)));
    return { reg: reg!, requests: await db.select().from(meetingAccessRequests).where(eq(meetingAccessRequests.registrationId, reg!.id)) };
  };

  it('pre-fills the form from the profile, keeps what is changed for this meeting, and leaves the profile alone', async () => {
    const m = await createMeeting(db, { registration: 'open', papersEarlyOn: '2030-01-01' });
    const form = await person.browser.get(`/meetings/${m.id}/register`);
    for (const need of ['step-free', 'carer-attends', 'large-print', 'bsl-interpreter', 'other'])
      expect(form.body).toMatch(new RegExp(`value="${need}" checked`));
    expect(form.body).not.toMatch(/value="dietary" checked/);
    expect(form.body).toContain('I tire easily');

    const bad = await person.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, { needs: ['dietary', 'nonsense'] });
    expect(bad.statusCode).toBe(400);
    expect(await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.meetingId, m.id))).toEqual([]);

    await person.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, {
      needs: ['large-print', 'papers-early', 'dietary'],
      dietaryDetail: 'No gluten',
    });
    const { reg, requests } = await requestsOf(m.id);
    expect([reg.largePrint, reg.papersEarly]).toEqual([true, true]);
    expect(requests.map((r) => r.need).sort()).toEqual(['dietary', 'large-print', 'papers-early']);
    const [profile] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, person.id));
    expect(profile!.accessNeeds).toEqual(['step-free', 'support-person']);

    // Changed later from the meeting's page; ticked to save on the profile this time.
    const change = `/meetings/${m.id}/needs`;
    const changePage = (await person.browser.get(change)).body;
    expect(changePage).toContain('No gluten');
    expect(changePage).toMatch(/value="dietary" checked/);
    expect(changePage).not.toMatch(/value="step-free" checked/);
    const res = await person.browser.submit(change, change, { needs: ['captions', 'breaks'], saveToProfile: 'yes' });
    expect(res.headers.location).toBe(`/meetings/${m.id}?saved=needs`);
    const after = await requestsOf(m.id);
    expect(after.requests.map((r) => r.need).sort()).toEqual(['breaks', 'captions']);
    expect([after.reg.largePrint, after.reg.papersEarly]).toEqual([false, false]);
    const [saved] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, person.id));
    expect(saved!.accessNeeds.sort()).toEqual(['breaks', 'captions']);

    // Staff see who wants papers how, and when papers go early.
    const staffPage = await lead.get(`/admin/meetings/${m.id}`);
    expect(staffPage.body).toContain('Papers go early on 1 January 2030.');
  });

  it('lists what to arrange for staff (each look audited), marks it arranged and tells the person', async () => {
    const m = await createMeeting(db, { registration: 'open' });
    await person.browser.submit(`/meetings/${m.id}/register`, `/meetings/${m.id}/register`, { needs: 'bsl-interpreter' });
    expect(await services.meetingAccessRequests.pendingUpcoming()).toBeGreaterThanOrEqual(1);
    expect((await lead.get('/admin')).body).toContain('Access needs to arrange for meetings to come');

    const page = await lead.get(`/admin/meetings/${m.id}/access`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Nia Needs');
    expect(page.body).toContain('A British Sign Language (BSL) interpreter');
    const views = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'meeting.access-needs-viewed'), eq(auditEvents.actorUserId, staff.id)));
    expect(views.at(-1)!.details).toEqual({ meetingId: m.id, shown: 1, people: 1 });

    const { requests } = await requestsOf(m.id);
    const action = `/admin/meetings/${m.id}/access/${requests[0]!.id}/arranged`;
    const tooLong = await lead.submit(`/admin/meetings/${m.id}/access`, action, { note: 'x'.repeat(501) });
    expect(tooLong.statusCode).toBe(400);
    expect((await requestsOf(m.id)).requests[0]!.arrangedAt).toBeNull();
    const res = await lead.submit(`/admin/meetings/${m.id}/access`, action, { note: 'Gwen will interpret' });
    expect(res.statusCode).toBe(303);
    const [done] = (await requestsOf(m.id)).requests;
    expect(done!.arrangedBy).toBe(staff.id);
    expect(done!.toldAt).not.toBeNull();
    const mail = await sink.parse(await waitFor(() => sink.to(person.email).find((d) => d.raw.includes('Arranged for you'))));
    expect(mail.text).toContain('we have arranged: A British Sign Language (BSL) interpreter.');
    expect(mail.text).toContain('Gwen will interpret');
    expect((await person.browser.get(`/meetings/${m.id}`)).body).toContain('arranged');
    // Another meeting's id in the address: not found, nothing changed.
    const other = await createMeeting(db, { registration: 'open' });
    expect(
      (await lead.submit(`/admin/meetings/${m.id}/access`, `/admin/meetings/${other.id}/access/${done!.id}/arranged`, {})).statusCode,
    ).toBe(404);
  });

  it('deletes access requests MEETING_ACCESS_RETENTION_DAYS after the meeting ends, and no sooner', async () => {
    const ended = await createMeeting(db, {
      registration: 'open',
      startsAt: new Date(Date.now() - 10 * day),
      endsAt: new Date(Date.now() - 10 * day + 3_600_000),
    });
    const [reg] = await db
      .insert(meetingRegistrations)
      .values({ meetingId: ended.id, userId: person.id, status: 'registered' })
      .returning();
    await db.insert(meetingAccessRequests).values({ registrationId: reg!.id, need: 'dietary', detail: 'Vegan' });
    const left = () => db.select().from(meetingAccessRequests).where(eq(meetingAccessRequests.registrationId, reg!.id));
    await services.retention.run('meeting-access-needs', new Date(Date.now() + 19 * day));
    expect(await left()).toHaveLength(1);
    expect(await services.retention.run('meeting-access-needs', new Date(Date.now() + 21 * day))).toBeGreaterThanOrEqual(1);
    expect(await left()).toEqual([]);
    // The registration itself stays (attendance and the person's own list need it).
    expect(await db.select().from(meetingRegistrations).where(eq(meetingRegistrations.id, reg!.id))).toHaveLength(1);
  });
});
