import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor, linkEmailedTo } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { createApplication, createOpportunity } from '#src/features/opportunities/test-support.ts';
import { groupInvitations, groupMembers, groups } from './tables.ts';
import { addMember, createGroup } from './groups-test-support.ts';

// Who is in a group: staff add people from the register, from an opportunity's selected applicants
// and by invitation; members choose what to show and may leave.
describe('members of a group', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead } = await signedInBrowser(app, 'involvement');
  const people = {
    ann: await joinedContributor(app, sink, 'Annwen Applicant'),
    bob: await joinedContributor(app, sink, 'Bob Bristow'),
    cai: await joinedContributor(app, sink, 'Cai Cymro'),
  };
  // Cai reads our emails in Welsh.
  await people.cai.browser.get('/profile?lang=cy');
  const membersOf = async (groupId: number) => db.select().from(groupMembers).where(eq(groupMembers.groupId, groupId));
  const audited = async (action: string) => (await db.select().from(auditEvents)).filter((e) => e.action === action);

  it('adds people found in the register, emailing each in their language; the plural is right', async () => {
    const g = await createGroup(db, { name: 'Kidney care panel', translations: { cy: { name: 'Panel gofal arennau' } } });
    const search = await lead.get(`/admin/groups/${g.id}?q=Bristow`);
    expect(search.body).toContain('Bob Bristow');
    expect(search.body).not.toContain('Annwen Applicant');
    const one = await lead.submit(`/admin/groups/${g.id}?q=Bristow`, `/admin/groups/${g.id}/members`, {
      userIds: people.bob.id,
      role: 'chair',
    });
    expect(one.headers.location).toBe(`/admin/groups/${g.id}?saved=added&count=1`);
    expect((await lead.get(String(one.headers.location))).body).toContain('Added 1 person.');
    const two = await lead.submit(`/admin/groups/${g.id}?q=Cymro`, `/admin/groups/${g.id}/members`, {
      userIds: [people.cai.id, people.ann.id, people.bob.id],
      role: 'member',
    });
    expect((await lead.get(String(two.headers.location))).body).toContain('Added 2 people.');
    const rows = await membersOf(g.id);
    expect(rows.map((r) => [r.userId, r.role, r.source]).sort()).toEqual(
      [
        [people.ann.id, 'member', 'register'],
        [people.bob.id, 'chair', 'register'],
        [people.cai.id, 'member', 'register'],
      ].sort(),
    );
    const toCai = await sink.parse(await waitFor(() => sink.to(people.cai.email).find((m) => m.raw.includes('Panel gofal arennau'))));
    expect(toCai.subject).toBe('Rydych wedi cael eich ychwanegu at Panel gofal arennau');
    const toBob = await sink.parse(await waitFor(() => sink.to(people.bob.email).find((m) => m.raw.includes('Kidney care panel'))));
    expect(toBob.text).toContain(`/groups/${g.slug}`);
    expect((await audited('group.members-added')).length).toBe(2);
    // Nobody ticked: an error, nothing changed.
    const none = await lead.submit(`/admin/groups/${g.id}?q=Bob`, `/admin/groups/${g.id}/members`, { role: 'member' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Tick at least one person to add');
    expect(none.body).toContain('href="#add-userIds"');
  });

  it("adds an opportunity's selected applicants in one action and remembers the opportunity", async () => {
    const o = await createOpportunity(db, { status: 'selection-done' });
    await createApplication(db, o.id, people.ann.id, { selection: 'selected' });
    await createApplication(db, o.id, people.bob.id, { selection: 'not-selected' });
    const g = await createGroup(db);
    expect((await lead.get(`/admin/groups/${g.id}`)).body).toContain(`<option value="${o.id}">${o.title}</option>`);
    const res = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/members/import`, { opportunityId: String(o.id) });
    expect(res.headers.location).toBe(`/admin/groups/${g.id}?saved=imported&count=1`);
    const rows = await membersOf(g.id);
    expect(rows.map((r) => [r.userId, r.source])).toEqual([[people.ann.id, 'opportunity']]);
    expect((await db.select().from(groups).where(eq(groups.id, g.id)))[0]!.opportunityId).toBe(o.id);
    for (const [value, message] of [
      ['abc', 'Choose an opportunity from the list'],
      ['99999999', 'Choose an opportunity from the list'],
      [String((await createOpportunity(db)).id), 'Nobody has been selected'],
    ]) {
      const bad = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/members/import`, { opportunityId: value! });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain(message);
    }
    expect((await membersOf(g.id)).length).toBe(1);
  });

  it('invites by email: signed-out people sign in and come back; accepting adds them; a used or expired link says so', async () => {
    const g = await createGroup(db, { name: 'Invited panel' });
    const bad = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/invitations`, { email: 'not an email', role: 'member' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('not an email');
    const newcomer = `new-${Math.random().toString(36).slice(2)}@example.net`;
    const res = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/invitations`, { email: newcomer, role: 'observer' });
    expect(res.headers.location).toBe(`/admin/groups/${g.id}?saved=invited`);
    const mail = await sink.parse(await waitFor(() => sink.to(newcomer)[0]));
    const link = /https?:\/\/[^\s]+\/groups\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')!;
    const path = new URL(link[0]).pathname;
    const [inv] = await db.select().from(groupInvitations).where(eq(groupInvitations.groupId, g.id));
    // Only the hash is kept.
    expect(inv!.tokenHash).not.toContain(link[1]);
    expect(inv!.expiresAt.getTime() - Date.now()).toBeGreaterThan(13.9 * 24 * 3600_000);

    const stranger = new Browser(app);
    const page = await stranger.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Invited panel');
    expect(page.body).toContain(`/join?next=${encodeURIComponent(path)}`);
    expect(page.headers['cache-control']).toContain('no-store');
    // They join, follow the emailed link, and come back to the invitation.
    const joined = await stranger.submit(`/join?next=${encodeURIComponent(path)}`, '/join', {
      name: 'Nia Newcomer',
      email: newcomer,
      consent: 'yes',
      next: path,
    });
    expect(joined.statusCode).toBe(303);
    const { path: signIn } = await linkEmailedTo(sink, newcomer, 1);
    const done = await stranger.submit(signIn, '/sign-in/continue', {});
    expect(done.headers.location).toBe(path);
    const accepted = await stranger.submit(path, path, {});
    expect(accepted.headers.location).toBe(`/groups/${g.slug}`);
    const account = await app.services.identity.findAccountByEmail(newcomer);
    const [row] = await db
      .select()
      .from(groupMembers)
      .where(and(eq(groupMembers.groupId, g.id), eq(groupMembers.userId, account!.id)));
    expect(row).toMatchObject({ role: 'observer', source: 'invitation' });
    expect((await stranger.get(`/groups/${g.slug}`)).statusCode).toBe(200);
    // Used once; an expired one and a made-up one say so kindly.
    expect((await stranger.get(path)).body).toContain('This invitation has already been used');
    await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/invitations`, { email: 'late@example.net', role: 'member' });
    const lateMail = await sink.parse(await waitFor(() => sink.to('late@example.net')[0]));
    const latePath = new URL(/https?:\/\/[^\s]+\/groups\/invitations\/[A-Za-z0-9_-]+/.exec(lateMail.text ?? '')![0]).pathname;
    await db
      .update(groupInvitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(groupInvitations.email, 'late@example.net'));
    expect((await people.bob.browser.get(latePath)).body).toContain('This invitation has expired');
    expect((await people.bob.browser.submit(latePath, latePath, {})).headers.location).toBe(latePath);
    expect((await new Browser(app).get('/groups/invitations/madeupmadeupmadeupmadeup')).body).toContain('We cannot find this invitation');
    expect((await audited('group.invitation-accepted')).length).toBe(1);
  });

  it('changes a role and removes a member, on the audit trail', async () => {
    const g = await createGroup(db);
    await addMember(db, g.id, people.ann.id);
    const role = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/members/${people.ann.id}/role`, { role: 'co-chair' });
    expect(role.statusCode).toBe(303);
    expect((await membersOf(g.id))[0]!.role).toBe('co-chair');
    const badRole = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/members/${people.ann.id}/role`, { role: 'king' });
    expect(badRole.statusCode).toBe(400);
    expect((await membersOf(g.id))[0]!.role).toBe('co-chair');
    const removed = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/members/${people.ann.id}/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect(await membersOf(g.id)).toEqual([]);
    expect((await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/members/${people.ann.id}/remove`, {})).statusCode).toBe(404);
    const changes = [...(await audited('group.member-role-changed')), ...(await audited('group.member-removed'))];
    expect(changes.map((e) => e.subjectUserId)).toEqual([people.ann.id, people.ann.id]);
  });

  it("lets a member choose what to show and leave; their groups are on their profile; a non-member can't", async () => {
    const g = await createGroup(db, { visibility: 'public', name: 'Choices panel' });
    await addMember(db, g.id, people.bob.id, { role: 'co-chair' });
    await addMember(db, g.id, people.ann.id);
    const mine = await people.bob.browser.get('/profile/groups');
    expect(mine.body).toContain('Choices panel');
    expect(mine.body).toContain('Co-chair');
    expect((await people.bob.browser.get('/profile')).body).toContain('href="/profile/groups"');
    // Ann sees Bob's name but not his email until he shares it.
    expect((await people.ann.browser.get(`/groups/${g.slug}`)).body).not.toContain(people.bob.email);
    const saved = await people.bob.browser.submit(`/groups/${g.slug}/membership`, `/groups/${g.slug}/membership`, {
      showOnPublicPage: 'yes',
      shareEmailWithMembers: 'yes',
    });
    expect(saved.headers.location).toBe(`/groups/${g.slug}?saved=choices`);
    expect((await people.ann.browser.get(`/groups/${g.slug}`)).body).toContain(people.bob.email);
    expect((await new Browser(app).get(`/groups/${g.slug}`)).body).toContain('Bob Bristow');
    expect((await people.cai.browser.get(`/groups/${g.slug}/membership`)).statusCode).toBe(404);
    const left = await people.bob.browser.submit(`/groups/${g.slug}/membership`, `/groups/${g.slug}/leave`, {});
    expect(left.headers.location).toBe(`/profile/groups?left=${g.slug}`);
    expect((await people.bob.browser.get(String(left.headers.location))).body).toContain('You have left the group.');
    expect((await membersOf(g.id)).map((m) => m.userId)).toEqual([people.ann.id]);
    expect((await audited('group.member-left')).length).toBe(1);
  });

  it('keeps an internal working group for staff only; finds people in the register by email too', async () => {
    const g = await createGroup(db, { kind: 'internal-working', name: 'Data working group' });
    const { staff: colleague } = await signedInBrowser(app, 'staff');
    const byEmail = await lead.get(`/admin/groups/${g.id}?q=${encodeURIComponent(people.ann.email)}`);
    expect(byEmail.body).toContain('Annwen Applicant');
    const refused = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/members`, { userIds: people.ann.id, role: 'member' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('An internal working group is for staff only');
    const invite = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/invitations`, {
      email: people.ann.email,
      role: 'member',
    });
    expect(invite.statusCode).toBe(400);
    expect(await membersOf(g.id)).toEqual([]);
    const found = `/admin/groups/${g.id}?q=${encodeURIComponent(colleague.email)}`;
    expect((await lead.get(found)).body).toContain(`value="${colleague.id}"`);
    const ok = await lead.submit(found, `/admin/groups/${g.id}/members`, { userIds: colleague.id, role: 'member' });
    expect(ok.statusCode).toBe(303);
    expect((await membersOf(g.id)).map((m) => m.userId)).toEqual([colleague.id]);
  });

  it('puts memberships and accepted invitations in "Download my data"; deleting the account erases them and invitations to the address', async () => {
    const person = await joinedContributor(app, sink, 'Dilys Data');
    const g = await createGroup(db, { name: 'Data panel' });
    await addMember(db, g.id, person.id, { role: 'chair' });
    await db
      .insert(groupInvitations)
      .values({ groupId: g.id, email: person.email, tokenHash: `hash-${person.id}`, expiresAt: new Date(Date.now() + 1e9) });
    const page = await person.browser.get('/profile/data');
    expect(page.body).toContain('Your groups');
    expect(page.body).toContain('Data panel: Chair');
    const download = await person.browser.get('/profile/data.json');
    const data = JSON.parse(download.body) as { groups: { memberships: { group: string; role: string }[] } };
    expect(data.groups.memberships).toEqual([expect.objectContaining({ group: 'Data panel', role: 'chair' })]);
    const deleted = await person.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' });
    expect(deleted.statusCode).toBe(303);
    expect(await db.select().from(groupMembers).where(eq(groupMembers.userId, person.id))).toEqual([]);
    expect(await db.select().from(groupInvitations).where(eq(groupInvitations.email, person.email))).toEqual([]);
  });
});
