import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { livedExperienceTerms } from '#src/features/profile/tables.ts';
import { contributorNotes } from './tables.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { exportColumns } from './schema.ts';
import { createI18n } from '#src/lib/i18n.ts';

// Answers nobody would write anywhere else on the page, so their absence means something.
const DIVERSITY = {
  religion: 'Buddhist',
  sexualOrientation: 'Bisexual',
  ethnicity: 'Mixed or multiple ethnic groups',
  ageBand: '75 or over',
};
const DIVERSITY_WORDS = [
  'Buddhist',
  'Bisexual',
  'Mixed or multiple',
  '75 or over',
  'religion',
  'sexual orientation',
  'ethnic group',
  'Equality and diversity',
];

describe('a person’s record for staff, notes and the CSV export', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const [asthma] = await db.insert(livedExperienceTerms).values({ category: 'condition', label: 'Asthma' }).returning();

  // A contributor who joined and filled in every step, including equality monitoring.
  const person = await joinedContributor(app, sink, 'Priya Patel');
  const steps: [string, Record<string, string | string[]>][] = [
    ['/profile/details', { name: 'Priya Patel', preferredName: 'Pri', phone: '01632 960 001' }],
    [
      '/profile/contact',
      {
        contactMethods: ['email', 'post'],
        postalAddress: '1 High Street\nTestville',
        formats: ['large-print', 'interpreter'],
        interpreterLanguage: 'Gujarati',
      },
    ],
    ['/profile/lived-experience', { terms: String(asthma!.id), notes: 'Asthma since childhood' }],
    ['/profile/interests', { interests: ['events', 'surveys'] }],
    ['/profile/availability', { availableTimes: 'weekend', availableWays: 'online', region: 'East Midlands' }],
    ['/profile/access-needs', { accessNeeds: 'breaks', accessNeedsNotes: 'Short meetings please' }],
    ['/profile/payment', { paymentPreference: 'vouchers', publicSectorEmployee: 'no' }],
    ['/profile/diversity', DIVERSITY],
  ];
  for (const [path, form] of steps) expect((await person.browser.submit(path, path, form)).statusCode, path).toBe(303);

  const views = async (subject: string, actor?: string) =>
    (
      await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.subjectUserId, subject), eq(auditEvents.action, 'contributor.viewed-by-staff')))
    ).filter((e) => !actor || e.actorUserId === actor);

  it('shows involvement staff every answer in words, consent and history, and logs each view', async () => {
    const { browser, staff } = await signedInBrowser(app, 'involvement');
    const page = await browser.get(`/admin/people/${person.id}`);
    expect(page.statusCode).toBe(200);
    for (const text of [
      '<h1>Priya Patel</h1>',
      'Pri',
      person.email,
      '01632 960 001',
      '1 High Street<br',
      'Testville',
      'Email, Post',
      'Large print, An interpreter',
      'Gujarati',
      'Conditions',
      'Asthma',
      'Asthma since childhood',
      'Events, Surveys',
      'Weekends',
      'Online, for example by video call',
      'East Midlands',
      'Regular breaks',
      'Short meetings please',
      'I would prefer vouchers',
      'Works in the public sector',
      'Agreed',
      '2026-11-contributors-1',
      'Never',
      'Payment preferences: last saved',
      'No notes yet',
      'Staff looked at a contributor',
      'Test involvement',
    ]) {
      expect(page.body, text).toContain(text);
    }
    expect(await views(person.id, staff.id)).toHaveLength(1);
    await browser.get(`/admin/people/${person.id}`);
    const entries = await views(person.id, staff.id);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actorUserId: staff.id, subjectUserId: person.id });
  });

  it('never shows equality and diversity answers on the person page', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    const page = await browser.get(`/admin/people/${person.id}`);
    expect(page.statusCode).toBe(200);
    for (const word of DIVERSITY_WORDS) expect(page.body.toLowerCase(), word).not.toContain(word.toLowerCase());
  });

  it('answers 404 for unknown ids, staff accounts and malformed ids, and logs nothing', async () => {
    const { browser, staff } = await signedInBrowser(app, 'involvement');
    const notViews = async () => (await db.select().from(auditEvents)).filter((e) => e.action !== 'contributor.viewed-by-staff').length;
    const before = await notViews();
    for (const id of ['nobody-here', staff.id, '..%2F..%2Fetc', '<script>', 'x'.repeat(90), '%00']) {
      const res = await browser.get(`/admin/people/${id}`);
      expect(res.statusCode, id).toBe(404);
      expect((await browser.submit(`/admin/people/${person.id}`, `/admin/people/${id}/notes`, { body: 'Hello' })).statusCode, id).toBe(404);
    }
    expect(await notViews()).toBe(before);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, staff.id))).toHaveLength(0);
    expect(await db.select().from(contributorNotes).where(eq(contributorNotes.body, 'Hello'))).toHaveLength(0);
  });

  it('adds notes (newest first, with author and date), refuses bad ones with nothing stored, and logs them', async () => {
    const { browser, staff } = await signedInBrowser(app, 'involvement');
    const path = `/admin/people/${person.id}`;
    for (const [body, message] of [
      ['', 'Enter a note'],
      ['   ', 'Enter a note'],
      ['x'.repeat(5001), 'Note must be 5,000 characters or fewer'],
      // Control characters never arrive (src/plugins/input.ts): a note of only those is empty.
      ['\u0007\u0000', 'Enter a note'],
    ] as const) {
      const res = await browser.submit(path, `${path}/notes`, { body });
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(message);
      expect(res.body).toContain('href="#body"');
    }
    const arrayBody = await browser.submit(path, `${path}/notes`, { body: ['one', 'two'] });
    expect(arrayBody.statusCode).toBe(400);
    expect(await db.select().from(contributorNotes)).toHaveLength(0);

    const first = await browser.submit(path, `${path}/notes`, { body: 'Met at the October event.\nKeen on surveys.' });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`${path}?added=note#notes`);
    const second = await browser.submit(path, `${path}/notes`, { body: '<script>alert(1)</script> Prefers afternoons' });
    expect(second.statusCode).toBe(303);
    const page = await browser.get(`${path}?added=note`);
    expect(page.body).toContain('Your note has been added');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Prefers afternoons');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body.indexOf('Prefers afternoons')).toBeLessThan(page.body.indexOf('Met at the October event.'));
    expect(page.body).toContain('<strong>Test involvement</strong>');
    const notes = await db.select().from(contributorNotes).where(eq(contributorNotes.subjectUserId, person.id));
    expect(notes.map((n) => [n.authorUserId, n.body])).toEqual(
      expect.arrayContaining([
        [staff.id, 'Met at the October event.\nKeen on surveys.'],
        [staff.id, '<script>alert(1)</script> Prefers afternoons'],
      ]),
    );
    const logged = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectUserId, person.id), eq(auditEvents.action, 'contributor.note-added')));
    expect(logged).toHaveLength(2);
    expect(logged.every((e) => e.actorUserId === staff.id && !JSON.stringify(e.details).includes('October'))).toBe(true);
    expect(page.body).toContain('Staff added a note about a contributor');

    // The person learns that notes exist, and when, but not what they say.
    const json = JSON.parse((await person.browser.get('/profile/data.json')).body);
    expect(json.staffNotes).toHaveLength(2);
    expect(json.staffNotes[0]).toEqual({ writtenByStaff: true, at: expect.any(String) });
    expect(JSON.stringify(json)).not.toContain('October event');
    const mine = await person.browser.get('/profile/data');
    expect(mine.body).toContain('written 2 notes about you');
    expect(mine.body).not.toContain('Prefers afternoons');

    // In Welsh: the person's own page in full; the staff page where it has Welsh, English elsewhere.
    const rawKey = /\b(?:people|jobs|nav)\.(?:admin|myData)\.[\w.]+/;
    const mineCy = await person.browser.get('/profile/data?lang=cy');
    expect(mineCy.body).toContain('<html lang="cy">');
    expect(mineCy.body).toContain('Mae ein staff cyfranogiad wedi ysgrifennu 2 nodyn amdanoch chi');
    expect(mineCy.body).not.toMatch(rawKey);
    await person.browser.get('/profile/data?lang=en');
    const staffCy = await browser.get(`${path}?lang=cy`);
    expect(staffCy.body).toContain('<html lang="cy">');
    expect(staffCy.body).toContain('Ychwanegu nodyn');
    expect(staffCy.body).toContain('Mae nodiadau ar gyfer staff cyfranogiad.');
    expect(staffCy.body).not.toMatch(rawKey);
    const emptyCy = await browser.submit(`${path}?lang=cy`, `${path}/notes`, { body: '' });
    expect(emptyCy.statusCode).toBe(400);
    expect(emptyCy.body).toContain('Rhowch nodyn');
    // A staff page not yet in Welsh falls back to English key by key.
    const importCy = await browser.get('/admin/people/import');
    expect(importCy.body).toContain('Mewnforio cofrestr sy&#39;n bodoli');
    expect(importCy.body).toContain('Bring the people on your current register');
    expect(importCy.body).not.toMatch(rawKey);
    await browser.get(`${path}?lang=en`);
  });

  it('exports the filtered list with only the chosen columns, safe from formula injection, and logs it', async () => {
    await insertContributor(db, '=HYPERLINK("http://evil.example","Click")', {
      region: 'Wales',
      livedExperienceNotes: '+SUM(1,2)',
      accessNeedsNotes: '@cmd',
      preferredName: '-2+3',
    });
    await insertContributor(db, 'Quentin, "Q" Walsh', { region: 'Wales', postalAddress: 'Line 1\nLine 2', interests: ['groups'] });
    await insertContributor(db, 'Not In Wales', { region: 'London' });
    const { browser, staff } = await signedInBrowser(app, 'involvement');

    const form = await browser.get('/admin/people/export?region=Wales');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('2 people');
    expect(form.body).not.toMatch(/name="columns"[^>]*checked/);
    expect(form.body).toContain('<input type="hidden" name="region" value="Wales">');
    for (const c of exportColumns) expect(form.body).toContain(`value="${c.value}"`);

    const res = await browser.submit('/admin/people/export?region=Wales', '/admin/people/export', {
      columns: ['region', 'preferredName', 'livedExperienceNotes', 'accessNeedsNotes', 'postalAddress', 'interests'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(
      'Name,Preferred name,Postal address,Where they live,Interests,Lived experience in their own words,Other access needs',
    );
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")",'-2+3,,Wales,,"'+SUM(1,2)",'@cmd\r\n`);
    expect(res.body).toContain('"Quentin, ""Q"" Walsh",,"Line 1\nLine 2",Wales,Groups,,');
    expect(res.body).not.toContain('Not In Wales');
    expect(res.body).not.toContain('@example.net');

    const [entry] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, staff.id), eq(auditEvents.action, 'contributor.exported-by-staff')));
    expect(entry!.details).toEqual({
      filter: 'region=Wales',
      columns: 'name preferredName postalAddress region interests livedExperienceNotes accessNeedsNotes',
      rows: 2,
    });
    expect(entry!.subjectUserId).toBeNull();
    expect(JSON.stringify(entry!.details)).not.toContain('Quentin');

    // Name only when nothing else is ticked; unknown columns (such as equality answers) are ignored.
    const bare = await browser.submit('/admin/people/export?region=Wales', '/admin/people/export', {
      columns: ['religion', 'diversity', 'equalityMonitoring', 'password'],
    });
    expect(bare.statusCode).toBe(200);
    expect(bare.body.split('\r\n')[0]).toBe('Name');
  });

  it('never puts equality and diversity answers into an export, even with every column', async () => {
    const { browser } = await signedInBrowser(app, 'admin');
    const res = await browser.submit('/admin/people/export?q=priya', '/admin/people/export', {
      columns: exportColumns.map((c) => c.value),
    });
    expect(res.statusCode).toBe(200);
    const [header, row] = res.body.split('\r\n');
    const english = createI18n().translator('en');
    expect(header).toBe(['Name', ...exportColumns.map((c) => english.t(c.text))].map((h) => (h.includes(',') ? `"${h}"` : h)).join(','));
    expect(row).toContain('Priya Patel');
    expect(row).toContain(person.email);
    expect(row).toContain('Conditions: Asthma');
    for (const word of DIVERSITY_WORDS) expect(res.body.toLowerCase(), word).not.toContain(word.toLowerCase());
  });

  it('lets only admins and involvement staff in, on every route', async () => {
    const routes = [
      { method: 'GET', url: '/admin/people' },
      { method: 'GET', url: '/admin/people/export' },
      { method: 'POST', url: '/admin/people/export' },
      { method: 'GET', url: `/admin/people/${person.id}` },
      { method: 'POST', url: `/admin/people/${person.id}/notes` },
    ];
    const request = (browser: Browser, r: (typeof routes)[number]) =>
      r.method === 'GET' ? browser.get(r.url) : browser.submit('/', r.url, { body: 'Sneaky note', columns: 'email' });

    const anonymous = new Browser(app);
    for (const r of routes) {
      const res = await request(anonymous, r);
      if (r.method === 'GET') {
        expect(res.statusCode, r.url).toBe(302);
        expect(res.headers.location, r.url).toMatch(/^\/sign-in/);
      } else expect([302, 403], r.url).toContain(res.statusCode);
    }
    const contributor = await joinedContributor(app, sink, 'Curious Contributor');
    const { browser: plainStaff } = await signedInBrowser(app, 'staff');
    for (const browser of [contributor.browser, plainStaff]) {
      for (const r of routes) expect((await request(browser, r)).statusCode, r.url).toBe(403);
    }
    for (const role of ['involvement', 'admin'] as const) {
      const { browser } = await signedInBrowser(app, role);
      for (const r of routes) expect([200, 303], `${role} ${r.method} ${r.url}`).toContain((await request(browser, r)).statusCode);
    }
    expect(await db.select().from(contributorNotes).where(eq(contributorNotes.body, 'Sneaky note'))).toHaveLength(2);
    const exports = await db.select().from(auditEvents).where(eq(auditEvents.action, 'contributor.exported-by-staff'));
    expect(exports.every((e) => e.actorUserId !== contributor.id)).toBe(true);

    // The staff area shows People to those who may use it, and not to other staff.
    const { browser: involvement } = await signedInBrowser(app, 'involvement');
    expect((await involvement.get('/admin')).body).toContain('href="/admin/people"');
    expect((await plainStaff.get('/admin')).body).not.toContain('href="/admin/people"');
  });
});
