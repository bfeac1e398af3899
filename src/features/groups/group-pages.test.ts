import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { groupAnnouncements, groupDocuments, groupInvitations } from './tables.ts';
import { addMember, createGroup } from './groups-test-support.ts';

// What browsers and screen readers rely on, on every groups page with everything on it: one h1,
// no id used twice, and every link in the error summary reaching a field that exists. (Axe runs
// on the same pages in the browser journeys.)
function problemsIn(url: string, html: string): string[] {
  const problems: string[] = [];
  if ((html.match(/<h1[\s>]/g) ?? []).length !== 1) problems.push(`${url}: not one h1`);
  const ids = [...html.matchAll(/<[a-z][^>]*?\sid="([^"]+)"/g)].map((m) => m[1]!);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) problems.push(`${url}: ids used twice: ${twice.join(', ')}`);
  const summary = /nhsuk-error-summary[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  for (const [, target] of summary.matchAll(/href="#([^"]+)"/g))
    if (!ids.includes(target!)) problems.push(`${url}: error link #${target} has no field`);
  return problems;
}

describe('the page check', () => {
  it('finds a second h1, a repeated id and an error link with no field, and passes a good page', () => {
    const good = '<h1>A</h1><div class="nhsuk-error-summary"><ul><li><a href="#name">Enter</a></li></ul></div><input id="name">';
    expect(problemsIn('/ok', good)).toEqual([]);
    expect(problemsIn('/h1', good + '<h1>B</h1>')).toEqual(['/h1: not one h1']);
    expect(problemsIn('/id', good + '<p id="name">')).toEqual(['/id: ids used twice: name']);
    expect(problemsIn('/link', good.replace('id="name"', 'id="other"'))).toEqual(['/link: error link #name has no field']);
  });
});

describe('the groups pages, full', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: lead, staff } = await signedInBrowser(app, 'involvement');
  const member = await joinedContributor(app, sink, 'Pat Pages');
  const other = await joinedContributor(app, sink, 'Quinn Pages');
  const g = await createGroup(db, { visibility: 'public', leadUserId: staff.id, startsOn: '2027-01-01' });
  await addMember(db, g.id, member.id, { role: 'chair', showOnPublicPage: true });
  await addMember(db, g.id, other.id, { shareEmailWithMembers: true });
  await addMember(db, g.id, staff.id, { role: 'staff-lead' });
  await db
    .insert(groupInvitations)
    .values({ groupId: g.id, email: 'someone@example.net', tokenHash: 'x', expiresAt: new Date(Date.now() + 1e9) });
  for (const title of ['Agenda', 'Minutes'])
    await db.insert(groupDocuments).values({
      groupId: g.id,
      title,
      fileName: 'a.pdf',
      contentType: 'application/pdf',
      sizeBytes: 1,
      storageKey: 'private-0123456789abcdef.pdf',
    });
  for (const title of ['First news', 'Second news'])
    await db.insert(groupAnnouncements).values({ groupId: g.id, title, bodyMarkdown: 'Hello', bodyHtml: '<p>Hello</p>' });

  it('staff pages: list, form with errors, manage page with search results and each form wrong', async () => {
    const problems: string[] = [];
    const check = (url: string, html: string) => problems.push(...problemsIn(url, html));
    for (const url of [
      '/admin/groups',
      '/admin/groups?archived=1',
      '/admin/groups/new',
      `/admin/groups/${g.id}/edit`,
      `/admin/groups/${g.id}?q=Pages`,
      `/admin/groups/${g.id}/documents`,
    ])
      check(url, (await lead.get(url)).body);
    check('new with errors', (await lead.submit('/admin/groups/new', '/admin/groups/new', { 'startsOn-day': 'x' })).body);
    const manage = `/admin/groups/${g.id}?q=Pages`;
    for (const [action, fields] of [
      ['members', { role: 'member', q: 'Pages' }],
      ['members/import', { opportunityId: 'x' }],
      ['invitations', { email: 'x', role: 'x' }],
      ['announcements', { title: '', body: '' }],
    ] as const) {
      const res = await lead.submit(manage, `/admin/groups/${g.id}/${action}`, fields);
      expect(res.statusCode, action).toBe(400);
      check(action, res.body);
    }
    expect(problems).toEqual([]);
  });

  it("members' and everyone's pages", async () => {
    const problems: string[] = [];
    for (const [b, url] of [
      [member.browser, `/groups/${g.slug}`],
      [member.browser, `/groups/${g.slug}/membership`],
      [member.browser, '/profile/groups'],
      [lead, `/groups/${g.slug}`],
      [new Browser(app), '/groups'],
      [new Browser(app), `/groups/${g.slug}`],
      [new Browser(app), '/groups/invitations/abcdefghijklmnopqrstuvwxyz'],
    ] as const) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      problems.push(...problemsIn(url, res.body));
    }
    expect(problems).toEqual([]);
  });
});
