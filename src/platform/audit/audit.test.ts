import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, createStaff, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from './tables.ts';

const unique = () => Math.random().toString(36).slice(2, 8);
// The table only: the action filter lists every action's words too.
const tableOf = (html: string) => (html.includes('<table') ? html.slice(html.indexOf('<table'), html.indexOf('</table>')) : '');
const rowsIn = (html: string) => (tableOf(html).split('<tbody')[1]?.match(/<tr>/g) ?? []).length;

describe('the audit log', async () => {
  const sink = await startSmtpSink();
  const { app, services, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: admin, staff: adminAccount } = await signedInBrowser(app, 'admin');

  // A member of staff with a name of their own, so a typed name finds only them.
  async function namedStaff(name: string) {
    const s = await createStaff(app, 'involvement');
    await services.identity.renameAccount(s.id, name);
    return s;
  }

  it('names who did it and whom it was about, linked to their account or register entry, and labels deleted accounts', async () => {
    const tag = unique();
    const staff = await namedStaff(`Priya Lookup${tag}`);
    const c = await joinedContributor(app, sink, `Morgan Subject${tag}`);
    const gone = await joinedContributor(app, sink, `Gone Person${tag}`);
    await services.audit.record({ actorUserId: staff.id, subjectUserId: c.id, action: 'contributor.viewed-by-staff' });
    await services.audit.record({ actorUserId: staff.id, subjectUserId: gone.id, action: 'contributor.viewed-by-staff' });
    await services.identity.deleteAccount(gone.id);

    const page = await admin.get(`/admin/audit?person=${tag}`);
    expect(page.statusCode).toBe(200);
    const table = tableOf(page.body);
    expect(table).toContain(
      `<a href="/admin/users/${staff.id}">Priya Lookup${tag}</a> <span class="nhsuk-u-secondary-text-colour">(involvement staff)</span>`,
    );
    expect(table).toContain(`<a href="/admin/people/${c.id}">Morgan Subject${tag}</a>`);
    expect(table).toContain(`Deleted account ${gone.id.slice(0, 8)}…`);
    expect(table).not.toContain(`Gone Person${tag}`);
    // Account ids are shown only for deleted accounts.
    expect(table).not.toContain(`>${c.id}<`);
    expect(table).not.toContain(`>${staff.id}<`);

    // The start of a deleted account's id, as the log shows it, finds its entries.
    const byId = await admin.get(`/admin/audit?person=${encodeURIComponent(`${gone.id.slice(0, 8)}…`)}`);
    expect(rowsIn(byId.body)).toBe(1);
    expect(tableOf(byId.body)).toContain('Deleted account');
    // So does the whole id; a few letters alone are taken as part of a name.
    expect(rowsIn((await admin.get(`/admin/audit?person=${gone.id}`)).body)).toBe(1);
    expect(rowsIn((await admin.get(`/admin/audit?person=${gone.id.slice(0, 8)}`)).body)).toBe(0);
  });

  it('filters by a typed name or email address, matching who did it or whom it was about', async () => {
    const tag = unique();
    const staff = await namedStaff(`Ravi Finder${tag}`);
    const a = await joinedContributor(app, sink, `Alma Typed${tag}`, `alma-${tag}@example.net`);
    const b = await joinedContributor(app, sink, `Bea Other${tag}`);
    await services.audit.record({ actorUserId: staff.id, subjectUserId: a.id, action: 'contributor.viewed-by-staff' });
    // They download their own data (recorded as it happens).
    await b.browser.get('/profile/data');

    // Part of a name, any case: what they were the subject of.
    const byName = await admin.get(`/admin/audit?person=${encodeURIComponent(`alma typed${tag}`.toUpperCase())}`);
    expect(rowsIn(byName.body)).toBe(1);
    expect(tableOf(byName.body)).toContain(`Ravi Finder${tag}`);
    expect(byName.body).toContain('1 entry matches');
    // Part of an email address.
    const byEmail = await admin.get(`/admin/audit?person=${encodeURIComponent(`alma-${tag}@`)}`);
    expect(rowsIn(byEmail.body)).toBe(1);
    // What a member of staff did (the actor).
    const byActor = await admin.get(`/admin/audit?person=Ravi+Finder${tag}`);
    expect(rowsIn(byActor.body)).toBe(1);
    expect(tableOf(byActor.body)).toContain(`Alma Typed${tag}`);
    // The filter is summarised and can be cleared; the typed words stay in the box.
    expect(byActor.body).toContain(`Person: <strong>Ravi Finder${tag}</strong>`);
    expect(byActor.body).toContain('<a href="/admin/audit">Clear filters</a>');
    expect(byActor.body).toContain(`value="Ravi Finder${tag}"`);
    // LIKE's wildcards are letters here: "%" matches nobody rather than everybody.
    expect(rowsIn((await admin.get('/admin/audit?person=%25%25')).body)).toBe(0);
    // With the action too.
    const both = await admin.get(`/admin/audit?person=${tag}&action=contributor.data-downloaded`);
    expect(rowsIn(both.body)).toBe(1);
    expect(tableOf(both.body)).toContain('format: page');
    expect(both.body).toContain('Action: <strong>Contributor downloaded their data</strong>');
  });

  it('offers every declared action, grouped by the part of the service that records it', async () => {
    const page = await admin.get('/admin/audit');
    expect(page.body).toContain(
      '<optgroup label="Contributor register"><option value="contributor.viewed-by-staff">Staff looked at a contributor</option>',
    );
    for (const action of Object.keys(services.audit.actions)) expect(page.body).toContain(`<option value="${action}"`);
    const chosen = await admin.get('/admin/audit?action=organisation.approved');
    expect(chosen.body).toContain('<option value="organisation.approved" selected>');
    // An unknown action, page or id is ignored, never an error.
    expect((await admin.get('/admin/audit?action=%3Cscript%3E&page=-4&actor=a%20b')).statusCode).toBe(200);
  });

  it('filters by a date range in UK time and explains dates it cannot use', async () => {
    const tag = unique();
    const c = await joinedContributor(app, sink, `Dana Dated${tag}`);
    // 23:30 UTC on 30 June is half past midnight on 1 July in the UK (summer time).
    const at = (iso: string) => ({
      actorUserId: adminAccount.id,
      subjectUserId: c.id,
      action: 'contributor.viewed-by-staff',
      at: new Date(iso),
    });
    await db.insert(auditEvents).values([at('2026-06-29T10:00:00Z'), at('2026-06-30T23:30:00Z'), at('2026-07-02T10:00:00Z')]);
    const count = async (q: string) => rowsIn((await admin.get(`/admin/audit?person=${tag}&${q}`)).body);
    expect(await count('from=2026-07-01')).toBe(2);
    expect(await count('to=2026-06-30')).toBe(1);
    expect(await count('from=2026-07-01&to=2026-07-01')).toBe(1);
    expect(await count('from=2026-06-29&to=2026-07-02')).toBe(3);
    // Typed the British way where the browser shows a text box.
    expect(await count('from=1/7/2026&to=1/7/2026')).toBe(1);
    const summary = (await admin.get(`/admin/audit?person=${tag}&from=2026-07-01&to=2026-07-02`)).body;
    expect(summary).toContain('From: <strong>1 July 2026</strong>');
    expect(summary).toContain('To: <strong>2 July 2026</strong>');

    const bad = await admin.get(`/admin/audit?person=${tag}&from=2026-02-30&to=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toMatch(/<a href="#from">\s*The ‘from’ date must be a real date, like 27\/3\/2026\s*<\/a>/);
    expect(bad.body).toMatch(/<a href="#to">\s*The ‘to’ date must be a real date, like 27\/3\/2026\s*<\/a>/);
    expect(bad.body).toContain('value="2026-02-30"');
    expect(tableOf(bad.body)).toBe('');
    // What was chosen stays chosen, to correct only the date.
    const kept = await admin.get(`/admin/audit?action=contributor.viewed-by-staff&from=2026-13-01`);
    expect(kept.statusCode).toBe(400);
    expect(kept.body).toContain('<option value="contributor.viewed-by-staff" selected>');
    const backwards = await admin.get(`/admin/audit?from=2026-07-02&to=2026-07-01`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The ‘to’ date must be the same as or after the ‘from’ date');
  });

  it('shows 50 entries a page, newest first, with page links that keep the filters', async () => {
    const tag = unique();
    const c = await joinedContributor(app, sink, `Paige Many${tag}`);
    const base = Date.parse('2025-01-01T12:00:00Z');
    await db.insert(auditEvents).values(
      Array.from({ length: 120 }, (_, i) => ({
        actorUserId: adminAccount.id,
        subjectUserId: c.id,
        action: 'contributor.viewed-by-staff',
        details: { n: String(i) },
        at: new Date(base + i * 60_000),
      })),
    );
    const first = await admin.get(`/admin/audit?person=${tag}&action=contributor.viewed-by-staff`);
    expect(first.body).toContain('120 entries match');
    expect(rowsIn(first.body)).toBe(50);
    expect(tableOf(first.body).indexOf('n: 119')).toBeLessThan(tableOf(first.body).indexOf('n: 118'));
    expect(first.body).toContain(`href="/admin/audit?person=${tag}&amp;action=contributor.viewed-by-staff&amp;page=3"`);
    const third = await admin.get(`/admin/audit?person=${tag}&action=contributor.viewed-by-staff&page=3`);
    expect(third.statusCode).toBe(200);
    expect(rowsIn(third.body)).toBe(20);
    expect(tableOf(third.body)).toContain('n: 0<');
    expect(third.body).toContain(`href="/admin/audit?person=${tag}&amp;action=contributor.viewed-by-staff&amp;page=2"`);
    expect(third.body).toContain('Audit log (page 3)');
  });

  it('is for admins only, the page and the export alike', async () => {
    expect((await new Browser(app).get('/admin/audit')).statusCode).toBe(302);
    const c = await joinedContributor(app, sink, 'Audit Snoop');
    expect((await c.browser.get('/admin/audit')).statusCode).toBe(403);
    expect((await c.browser.post('/admin/audit/export', {})).statusCode).toBe(403);
    for (const role of ['staff', 'involvement'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get('/admin/audit')).statusCode).toBe(403);
      expect((await browser.post('/admin/audit/export', {})).statusCode).toBe(403);
    }
  });
});
