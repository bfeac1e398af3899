import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';

describe('the audit log', async () => {
  const sink = await startSmtpSink();
  const { app, services } = await buildTestApp({ smtpUrl: sink.url });

  it('lists entries newest first and filters by who, whom and what', async () => {
    const a = await joinedContributor(app, sink, 'Audit A');
    const b = await joinedContributor(app, sink, 'Audit B');
    await a.browser.get('/profile/data.json');
    await b.browser.get('/profile/data');
    await services.audit.record({ actorUserId: 'staff-1', subjectUserId: a.id, action: 'contributor.viewed-by-staff' });

    const { browser: admin } = await signedInBrowser(app, 'admin');
    const all = await admin.get('/admin/audit');
    expect(all.statusCode).toBe(200);
    expect(all.body.match(/<h1/g)).toHaveLength(1);
    expect(all.body).toContain('Contributor downloaded their data');
    // The action filter lists every action too: look only at the table.
    const table = all.body.slice(all.body.indexOf('<table'));
    expect(table.indexOf('Staff looked at a contributor')).toBeGreaterThan(0);
    expect(table.indexOf('Staff looked at a contributor')).toBeLessThan(table.indexOf('Contributor downloaded their data'));

    const tableOf = (html: string) => html.slice(html.indexOf('<table'));
    const bySubject = tableOf((await admin.get(`/admin/audit?subject=${a.id}`)).body);
    expect(bySubject).toContain('Staff looked at a contributor');
    expect(bySubject).toContain('format: json');
    expect(bySubject).not.toContain(`>${b.id}<`);
    const byActor = tableOf((await admin.get(`/admin/audit?actor=${b.id}`)).body);
    expect(byActor).toContain('format: page');
    expect(byActor).not.toContain('Staff looked at a contributor');
    const byAction = tableOf((await admin.get('/admin/audit?action=contributor.viewed-by-staff')).body);
    expect(byAction).toContain('Staff looked at a contributor');
    expect(byAction).not.toContain('Contributor downloaded their data');
    // Nonsense filters are ignored, never an error.
    expect((await admin.get('/admin/audit?action=%3Cscript%3E&page=-4&actor=a%20b')).statusCode).toBe(200);
  });

  it('is for admins only', async () => {
    expect((await new Browser(app).get('/admin/audit')).statusCode).toBe(302);
    const c = await joinedContributor(app, sink, 'Audit Snoop');
    expect((await c.browser.get('/admin/audit')).statusCode).toBe(403);
    for (const role of ['staff', 'involvement'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get('/admin/audit')).statusCode).toBe(403);
    }
  });
});
