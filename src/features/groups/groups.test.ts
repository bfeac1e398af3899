import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { groups } from './tables.ts';
import { addMember, createGroup } from './groups-test-support.ts';

// What staff type to make a panel.
const details = (over: Record<string, string> = {}) => ({
  kind: 'lived-experience',
  name: 'Maternity lived experience group',
  purpose: 'We help shape **maternity** services.',
  visibility: 'public',
  'startsOn-day': '1',
  'startsOn-month': '3',
  'startsOn-year': '2027',
  'endsOn-day': '1',
  'endsOn-month': '3',
  'endsOn-year': '2028',
  name_cy: 'Grŵp profiad bywyd mamolaeth',
  ...over,
});

describe('staff make, change and archive groups; who sees which page', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead, staff: leadAccount } = await signedInBrowser(app, 'involvement');
  const { browser: admin } = await signedInBrowser(app, 'admin');
  const { browser: plainStaff } = await signedInBrowser(app, 'staff');
  const member = await joinedContributor(app, sink, 'Mona Member');
  const otherMember = await joinedContributor(app, sink, 'Otto Othergroup');
  const outsider = await joinedContributor(app, sink, 'Nina Nonmember');
  const actions = async () => (await db.select().from(auditEvents)).map((e) => e.action);

  it('makes a group with a rendered purpose, a Welsh name and the staff lead as a member', async () => {
    const res = await lead.submit('/admin/groups/new', '/admin/groups/new', details({ leadUserId: leadAccount.id }));
    expect(res.statusCode).toBe(303);
    const id = Number(/\/admin\/groups\/(\d+)\?saved=created/.exec(String(res.headers.location))![1]);
    const [row] = await db.select().from(groups).where(eq(groups.id, id));
    expect(row).toMatchObject({
      slug: 'maternity-lived-experience-group',
      purposeHtml: '<p>We help shape <strong>maternity</strong> services.</p>',
      visibility: 'public',
      startsOn: '2027-03-01',
      endsOn: '2028-03-01',
      leadUserId: leadAccount.id,
      translations: { cy: { name: 'Grŵp profiad bywyd mamolaeth' } },
    });
    const page = await lead.get(String(res.headers.location));
    expect(page.body).toContain('Group made.');
    expect(page.body).toContain('Staff lead');
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    expect(await actions()).toContain('group.created');
    // A second group with the same name gets its own address.
    const again = await lead.submit('/admin/groups/new', '/admin/groups/new', details());
    const second = Number(/\/admin\/groups\/(\d+)/.exec(String(again.headers.location))![1]);
    expect((await db.select().from(groups).where(eq(groups.id, second)))[0]!.slug).toBe('maternity-lived-experience-group-2');
    const taken = await lead.submit('/admin/groups/new', '/admin/groups/new', details({ slug: 'maternity-lived-experience-group' }));
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('Another group already has this web address');
  });

  it('refuses bad input with the error summary, keeping what was typed and saving nothing', async () => {
    const before = (await db.select().from(groups)).length;
    const res = await lead.submit(
      '/admin/groups/new',
      '/admin/groups/new',
      details({ name: '', kind: 'made-up', 'endsOn-year': '2026', leadUserId: member.id, purpose: 'Kept text' }),
    );
    expect(res.statusCode).toBe(400);
    for (const text of [
      'There is a problem',
      'Enter the group',
      'Select the kind of group',
      'The end date must be the same as or after the start date',
    ])
      expect(res.body).toContain(text);
    expect(res.body).toContain('href="#endsOn"');
    expect(res.body).toContain('Kept text');
    expect((await db.select().from(groups)).length).toBe(before);
    const notStaff = await lead.submit('/admin/groups/new', '/admin/groups/new', details({ leadUserId: member.id }));
    expect(notStaff.body).toContain('Choose the staff lead from the list');
  });

  it('keeps an internal working group private whatever is chosen', async () => {
    const res = await admin.submit(
      '/admin/groups/new',
      '/admin/groups/new',
      details({ kind: 'internal-working', name: 'Data working group' }),
    );
    const id = Number(/\/admin\/groups\/(\d+)/.exec(String(res.headers.location))![1]);
    expect((await db.select().from(groups).where(eq(groups.id, id)))[0]!.visibility).toBe('private');
  });

  it('shows a private group to members and staff who run groups, and 404 to everyone else', async () => {
    const g = await createGroup(db, { visibility: 'private', name: 'Secret carers panel' });
    const other = await createGroup(db, { visibility: 'private' });
    await addMember(db, g.id, member.id, { role: 'co-chair' });
    await addMember(db, other.id, otherMember.id);
    const url = `/groups/${g.slug}`;
    for (const b of [new Browser(app), outsider.browser, otherMember.browser, plainStaff]) {
      const res = await b.get(url);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Secret carers panel');
    }
    for (const b of [member.browser, lead, admin]) {
      const res = await b.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Mona Member');
      expect(res.body).toContain('Co-chair');
    }
    expect((await new Browser(app).get('/groups')).body).not.toContain('Secret carers panel');
    // A member, even a chair, changes nothing through the staff routes.
    const csrf = csrfOf((await member.browser.get(url)).body);
    for (const action of ['members', 'invitations', 'announcements', 'archive', 'edit'])
      expect((await member.browser.post(`/admin/groups/${g.id}/${action}`, { _csrf: csrf, title: 'x', body: 'y' })).statusCode).toBe(403);
    expect((await member.browser.get(`/admin/groups/${g.id}`)).statusCode).toBe(403);
    // Staff without register access never reach the staff pages.
    expect((await plainStaff.get('/admin/groups')).statusCode).toBe(403);
    expect((await member.browser.get('/admin/groups')).statusCode).toBe(403);
  });

  it("shows a public group's purpose and count, and only the names of members who opted in", async () => {
    const g = await createGroup(db, { visibility: 'public', name: 'Open stroke panel' });
    await addMember(db, g.id, member.id, { showOnPublicPage: true });
    await addMember(db, g.id, otherMember.id);
    const list = await new Browser(app).get('/groups');
    expect(list.body).toContain('Open stroke panel');
    expect(list.body).toContain('2 members');
    const page = await outsider.browser.get(`/groups/${g.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Mona Member');
    expect(page.body).not.toContain('Otto Othergroup');
    expect(page.body).not.toContain(member.email);
    // Welsh: the page is in Welsh, and the English-only name is marked.
    const cy = await new Browser(app).get(`/groups/${g.slug}?lang=cy`);
    expect(cy.body).toContain('<html lang="cy"');
    expect(cy.body).toContain('<p>2 aelod</p>');
  });

  it('lists groups for staff with kind, visibility and member count; archives a group, which is then read-only', async () => {
    const g = await createGroup(db, { name: 'Reading group for leaflets', kind: 'reading-group' });
    await addMember(db, g.id, member.id);
    const list = await lead.get('/admin/groups');
    expect(list.body).toContain('Reading group for leaflets');
    expect(list.body).toContain('Reading group');
    const archived = await lead.submit(`/admin/groups/${g.id}`, `/admin/groups/${g.id}/archive`, {});
    expect(archived.headers.location).toBe(`/admin/groups/${g.id}?saved=archived`);
    expect((await lead.get('/admin/groups')).body).not.toContain('Reading group for leaflets');
    expect((await lead.get('/admin/groups?archived=1')).body).toContain('Reading group for leaflets');
    // Every change is refused with the reason; nothing changes.
    const edit = await lead.post(`/admin/groups/${g.id}/edit`, { ...details(), _csrf: csrfOf((await lead.get('/admin/groups')).body) });
    expect(edit.statusCode).toBe(409);
    expect(edit.body).toContain('This group is archived');
    const leave = await member.browser.submit(`/groups/${g.slug}/membership`, `/groups/${g.slug}/leave`, {});
    expect(leave.statusCode).toBe(409);
    expect((await db.select().from(groups).where(eq(groups.id, g.id)))[0]!.name).toBe('Reading group for leaflets');
    expect(await actions()).toContain('group.archived');
  });

  it('changes a group, and a bad id is not found', async () => {
    const g = await createGroup(db, { name: 'Old name' });
    const res = await lead.submit(`/admin/groups/${g.id}/edit`, `/admin/groups/${g.id}/edit`, details({ name: 'New name', name_cy: '' }));
    expect(res.statusCode).toBe(303);
    const [row] = await db.select().from(groups).where(eq(groups.id, g.id));
    expect(row).toMatchObject({ name: 'New name', slug: g.slug, translations: {} });
    // With a contributor in it, it cannot become a staff-only internal working group.
    await addMember(db, g.id, member.id);
    const internal = await lead.submit(`/admin/groups/${g.id}/edit`, `/admin/groups/${g.id}/edit`, details({ kind: 'internal-working' }));
    expect(internal.statusCode).toBe(400);
    expect(internal.body).toContain('Only staff can be in an internal working group');
    expect((await lead.get('/admin/groups/abc')).statusCode).toBe(404);
    expect((await lead.get('/admin/groups/99999999')).statusCode).toBe(404);
  });
});

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
