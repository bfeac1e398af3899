import { describe, expect, it } from 'vitest';
import { buildTestApp, createStaff, signedInBrowser, Browser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { parseCsv } from '#src/lib/csv.ts';
import { auditEvents } from './tables.ts';

const unique = () => Math.random().toString(36).slice(2, 8);

describe('the audit log as a spreadsheet, and "who has looked at your data"', async () => {
  const sink = await startSmtpSink();
  const { app, services, db } = await buildTestApp({ smtpUrl: sink.url });
  const { browser: admin, staff: adminAccount } = await signedInBrowser(app, 'admin');
  const exportsBy = async (id: string) => (await services.audit.list({ actor: id, action: 'audit.exported' })).items;

  it('downloads the filtered entries with names, safe from spreadsheet formulas, and records who downloaded what', async () => {
    const tag = unique();
    const c = await joinedContributor(app, sink, `Cass Export${tag}`);
    const gone = await joinedContributor(app, sink, `Gone Export${tag}`);
    // A name a spreadsheet would run as a formula.
    await services.identity.renameAccount(c.id, `=HYPERLINK("http://evil.example")${tag}`);
    await services.audit.record({ actorUserId: adminAccount.id, subjectUserId: c.id, action: 'contributor.viewed-by-staff' });
    // They download their own data (recorded as it happens).
    await gone.browser.get('/profile/data.json');
    await services.identity.deleteAccount(gone.id);
    // Something the same admin did that names nobody matching: left out of the download.
    await services.audit.record({
      actorUserId: adminAccount.id,
      subjectUserId: null,
      action: 'organisation.approved',
      details: { organisation: 1 },
    });

    // The export form carries the page's filters.
    const res = await admin.submit(`/admin/audit?person=${tag}`, '/admin/audit/export', {});
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const [header, ...rows] = parseCsv(res.body).map((r) => r.fields);
    expect(header).toEqual([
      'When (UTC)',
      'Action',
      'Action code',
      'Done by',
      'Done by (account ID)',
      'About',
      'About (account ID)',
      'Details',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(1, 7)).toEqual([
      'Staff looked at a contributor',
      'contributor.viewed-by-staff',
      'Test admin (admin)',
      adminAccount.id,
      `'=HYPERLINK("http://evil.example")${tag}`,
      c.id,
    ]);
    expect(rows[0]![0]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const [entry] = await exportsBy(adminAccount.id);
    expect(entry!.details).toEqual({ person: tag, rows: 1 });

    // A deleted account, found by its label in the log pasted into the box.
    const shown = `Deleted account ${gone.id.slice(0, 8)}…`;
    const deleted = parseCsv((await admin.submit(`/admin/audit?person=${encodeURIComponent(shown)}`, '/admin/audit/export', {})).body);
    expect(deleted.slice(1).map((r) => r.fields)).toEqual([
      [
        expect.any(String),
        'Contributor downloaded their data',
        'contributor.data-downloaded',
        shown,
        gone.id,
        shown,
        gone.id,
        'format: json',
      ],
    ]);
    // The download shows in the log itself, with the filters.
    const log = await admin.get('/admin/audit?action=audit.exported');
    expect(log.body).toContain('Staff downloaded the audit log');
    expect(log.body).toContain(`person: ${tag}`);
  });

  it('exports every matching entry, beyond one batch, each once', async () => {
    const tag = unique();
    const c = await joinedContributor(app, sink, `Bulk Export${tag}`);
    // Entries sharing one instant: the batches must still neither skip nor repeat any.
    const at = new Date('2025-03-01T09:00:00.123456Z');
    await db.insert(auditEvents).values(
      Array.from({ length: 2100 }, (_, i) => ({
        actorUserId: adminAccount.id,
        subjectUserId: c.id,
        action: 'contributor.viewed-by-staff',
        details: { n: String(i) },
        at,
      })),
    );
    const res = await admin.submit(`/admin/audit?person=${tag}&from=2025-03-01&to=2025-03-01`, '/admin/audit/export', {});
    const rows = parseCsv(res.body).slice(1);
    expect(rows).toHaveLength(2100);
    expect(new Set(rows.map((r) => r.fields[7])).size).toBe(2100);
    const [entry] = await exportsBy(adminAccount.id);
    expect(entry!.details).toEqual({ person: tag, from: '2025-03-01', to: '2025-03-01', rows: 2100 });
  });

  it('refuses dates it cannot use, with nothing downloaded or recorded', async () => {
    const before = (await exportsBy(adminAccount.id)).length;
    const page = await admin.get('/admin/audit');
    const res = await admin.submit('/admin/audit', '/admin/audit/export', { from: '31/2/2026' });
    expect(page.statusCode).toBe(200);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('The ‘from’ date must be a real date, like 27/3/2026');
    expect((await exportsBy(adminAccount.id)).length).toBe(before);
    // Without the form's token nothing is sent.
    expect((await admin.post('/admin/audit/export', {})).statusCode).toBe(403);
    expect((await new Browser(app).post('/admin/audit/export', {})).statusCode).toBe(302);
  });

  it('tells a contributor the name and job title of staff who looked at their record', async () => {
    const tag = unique();
    const c = await joinedContributor(app, sink, `Seen Person${tag}`);
    const involvement = await createStaff(app, 'involvement');
    await services.identity.renameAccount(involvement.id, `Nia Looker${tag}`);
    const staff = new Browser(app);
    await staff.submit('/sign-in', '/sign-in', { email: involvement.email, password: involvement.password });
    expect((await staff.get(`/admin/people/${c.id}`)).statusCode).toBe(200);

    const page = await c.browser.get('/profile/data');
    expect(page.body).toContain(`Nia Looker${tag} (Involvement lead), `);
    expect(page.body).not.toContain(involvement.id);
    const json = JSON.parse((await c.browser.get('/profile/data.json')).body) as { recordOfAccess: Record<string, unknown>[] };
    expect(json.recordOfAccess).toContainEqual(
      expect.objectContaining({
        action: 'contributor.viewed-by-staff',
        byStaff: true,
        staffName: `Nia Looker${tag}`,
        staffJobTitle: 'Involvement lead',
      }),
    );

    // In Welsh too, and someone who has since left is "a member of staff".
    await services.identity.deleteAccount(involvement.id);
    const later = await c.browser.get('/profile/data?lang=cy');
    expect(later.body).toContain('Aelod o staff, ');
    expect(later.body).not.toContain(`Nia Looker${tag}`);
  });
});
