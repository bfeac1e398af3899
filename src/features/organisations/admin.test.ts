import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { organisations } from './tables.ts';
import { register, registration } from './test-support.ts';

describe('staff decide on partner organisations', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  Object.assign(services.organisations.policy, { minFillMs: 0, perIp: { max: 1000, windowMs: 60_000 } });

  async function registered(over: Record<string, string> = {}) {
    const form = registration(over);
    expect((await register(app, form)).statusCode).toBe(303);
    const [row] = await db
      .select()
      .from(organisations)
      .where(eq(organisations.name, form.name as string));
    await waitFor(() => sink.to(row!.contactEmail)[0]);
    return row!;
  }
  const auditFor = async (id: number) =>
    (await db.select().from(auditEvents)).filter((e) => (e.details as { organisationId?: number }).organisationId === id);

  it('lists organisations by status with counts, pending first', async () => {
    const a = await registered({ name: 'Alpha Carers Forum' });
    const { browser } = await signedInBrowser(app, 'involvement');
    const list = await browser.get('/admin/organisations');
    expect(list.statusCode).toBe(200);
    expect(list.body.match(/<h1/g)).toHaveLength(1);
    expect(list.body).toContain('Waiting for a decision <span class="app-subnav__count">(1)</span>');
    expect(list.body.indexOf('Waiting for a decision')).toBeLessThan(list.body.indexOf('Approved'));
    expect(list.body).toContain(`href="/admin/organisations/${a.id}"`);
    expect((await browser.get('/admin/organisations?status=approved')).body).not.toContain('Alpha Carers Forum');
    // Nonsense statuses fall back to the pending list.
    expect((await browser.get('/admin/organisations?status=%3Cx%3E')).statusCode).toBe(200);
  });

  it('approves: listed publicly, the contact is emailed, the audit log records it, once only', async () => {
    const o = await registered({
      name: 'Bridge Street Peer Support',
      contactEmail: 'bridge@example.org',
      website: 'https://bridge.example.org',
    });
    const { browser, staff } = await signedInBrowser(app, 'involvement');
    const page = await browser.get(`/admin/organisations/${o.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('bridge@example.org');
    const res = await browser.submit(`/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/approve`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/organisations/${o.id}?saved=approved`);
    expect((await browser.get(res.headers.location as string)).body).toContain('Organisation approved');

    const [after] = await db.select().from(organisations).where(eq(organisations.id, o.id));
    expect(after).toMatchObject({ status: 'approved', decidedByUserId: staff.id });
    const mail = await sink.parse(await waitFor(() => sink.to('bridge@example.org')[1]));
    expect(mail.subject).toMatch(/^Bridge Street Peer Support is now a partner organisation of /);
    expect(mail.text).toContain('http://localhost:3000/organisations');
    const entries = await auditFor(o.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'organisation.approved', actorUserId: staff.id });

    const list = await new Browser(app).get('/organisations');
    expect(list.body).toContain('Bridge Street Peer Support');
    expect(list.body).toContain('<a href="https://bridge.example.org" rel="noopener">');
    expect(list.body).not.toContain('bridge@example.org');

    // A second approval (double click) and a late decline change nothing and send nothing.
    const again = await browser.submit(`/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/approve`, {});
    expect(again.statusCode).toBe(409);
    const late = await browser.post(`/admin/organisations/${o.id}/decline`, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!,
      reason: 'x',
    });
    expect(late.statusCode).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.to('bridge@example.org')).toHaveLength(2);
    expect(await auditFor(o.id)).toHaveLength(1);
  });

  it('declines with an optional reason that goes to the contact; not listed; audited', async () => {
    const o = await registered({ name: 'Crescent Wellbeing Ltd', contactEmail: 'crescent@example.org' });
    const { browser: admin } = await signedInBrowser(app, 'admin');
    const tooLong = await admin.submit(`/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/decline`, {
      reason: 'x'.repeat(1001),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Reason must be 1,000 characters or fewer');
    expect((await db.select().from(organisations).where(eq(organisations.id, o.id)))[0]!.status).toBe('pending');

    const res = await admin.submit(`/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/decline`, {
      reason: 'We only list groups that are not run for profit.',
    });
    expect(res.statusCode).toBe(303);
    const mail = await sink.parse(await waitFor(() => sink.to('crescent@example.org')[1]));
    expect(mail.text).toContain('we cannot list it as a partner');
    expect(mail.text).toContain('We only list groups that are not run for profit.');
    expect((await auditFor(o.id)).map((e) => e.action)).toEqual(['organisation.declined']);
    expect((await new Browser(app).get('/organisations')).body).not.toContain('Crescent Wellbeing Ltd');
    expect((await admin.get('/admin/organisations?status=declined')).body).toContain('Crescent Wellbeing Ltd');

    // Without a reason the email says only that.
    const p = await registered({ name: 'Downs Walking Group', contactEmail: 'downs@example.org' });
    await admin.submit(`/admin/organisations/${p.id}`, `/admin/organisations/${p.id}/decline`, { reason: '' });
    const plain = await sink.parse(await waitFor(() => sink.to('downs@example.org')[1]));
    expect(plain.text).not.toContain('Our involvement team said');
  });

  it('archives (off the public list and contributors’ choices, kept for history) and restores', async () => {
    const o = await registered({ name: 'Elm Tree Dementia Cafe' });
    const { browser } = await signedInBrowser(app, 'involvement');
    await browser.submit(`/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/approve`, {});
    const contributor = await joinedContributor(app, sink, 'Archie Member');
    expect((await contributor.browser.get('/profile/organisations')).body).toContain('Elm Tree Dementia Cafe');
    expect(
      (await contributor.browser.submit('/profile/organisations', '/profile/organisations', { organisations: String(o.id) })).statusCode,
    ).toBe(303);

    const archived = await browser.submit(`/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/archive`, { archived: 'yes' });
    expect(archived.statusCode).toBe(303);
    expect((await new Browser(app).get('/organisations')).body).not.toContain('Elm Tree Dementia Cafe');
    expect((await contributor.browser.get('/profile/organisations')).body).not.toContain('Elm Tree Dementia Cafe');
    // The link is kept, marked as no longer current.
    expect(await services.organisations.organisationsOf(contributor.id)).toMatchObject([
      { name: 'Elm Tree Dementia Cafe', current: false },
    ]);
    const page = await browser.get(`/admin/organisations/${o.id}`);
    expect(page.body).toContain('Archived');
    expect(page.body).toMatch(/Contributors who belong to it<\/dt><dd class="nhsuk-summary-list__value">1</);

    // Archiving twice, or a pending one, is refused.
    expect(
      (await browser.submit(`/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/archive`, { archived: 'yes' })).statusCode,
    ).toBe(409);
    const restored = await browser.submit(`/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/archive`, { archived: 'no' });
    expect(restored.statusCode).toBe(303);
    expect((await new Browser(app).get('/organisations')).body).toContain('Elm Tree Dementia Cafe');
    expect((await auditFor(o.id)).map((e) => e.action).sort()).toEqual([
      'organisation.approved',
      'organisation.archived',
      'organisation.restored',
    ]);
  });

  it('edits details with the same validation, and refuses a name another organisation has', async () => {
    const o = await registered({ name: 'Fernhill Parents Network' });
    await registered({ name: 'Greenway Carers' });
    const { browser } = await signedInBrowser(app, 'admin');
    const form = await browser.get(`/admin/organisations/${o.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Fernhill Parents Network"');
    const fields = { ...registration({ name: 'Fernhill Parents and Carers Network', area: 'Fernhill' }) };
    delete fields.consent;
    expect((await browser.submit(`/admin/organisations/${o.id}/edit`, `/admin/organisations/${o.id}/edit`, fields)).statusCode).toBe(303);
    expect((await db.select().from(organisations).where(eq(organisations.id, o.id)))[0]).toMatchObject({
      name: 'Fernhill Parents and Carers Network',
      area: 'Fernhill',
    });

    const clash = await browser.submit(`/admin/organisations/${o.id}/edit`, `/admin/organisations/${o.id}/edit`, {
      ...fields,
      name: 'greenway carers',
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('Another organisation is already called greenway carers');
    const hostile = await browser.submit(`/admin/organisations/${o.id}/edit`, `/admin/organisations/${o.id}/edit`, {
      ...fields,
      website: 'javascript:alert(1)',
      name: '<b>x</b>',
    });
    expect(hostile.statusCode).toBe(400);
    expect((await db.select().from(organisations).where(eq(organisations.id, o.id)))[0]!.name).toBe('Fernhill Parents and Carers Network');
  });

  it('lets only admins and involvement staff in: staff and contributors 403, anonymous to sign in; unknown ids 404', async () => {
    const o = await registered();
    const paths = ['/admin/organisations', `/admin/organisations/${o.id}`, `/admin/organisations/${o.id}/edit`];
    const posts = [
      `/admin/organisations/${o.id}/approve`,
      `/admin/organisations/${o.id}/decline`,
      `/admin/organisations/${o.id}/archive`,
      `/admin/organisations/${o.id}/edit`,
    ];

    const anonymous = new Browser(app);
    for (const p of paths) {
      const res = await anonymous.get(p);
      expect(res.statusCode, p).toBe(302);
      expect(res.headers.location).toMatch(/^\/sign-in\?next=/);
    }
    const contributor = await joinedContributor(app, sink, 'Nosy Contributor');
    const { browser: staff } = await signedInBrowser(app, 'staff');
    for (const browser of [contributor.browser, staff]) {
      for (const p of paths) expect((await browser.get(p)).statusCode, p).toBe(403);
      const home = await browser.get('/organisations');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
      expect(csrf).not.toBe('');
      for (const p of posts) {
        const res = await browser.post(p, { _csrf: csrf, reason: '', archived: 'yes' });
        expect(res.statusCode, p).toBe(403);
        // Refused for who they are, not for a bad form token.
        expect(res.body).toContain('only for staff with the right permissions');
      }
    }
    expect((await db.select().from(organisations).where(eq(organisations.id, o.id)))[0]!.status).toBe('pending');
    // Plain staff are not even shown the way in.
    expect((await staff.get('/admin')).body).not.toContain('href="/admin/organisations"');

    for (const role of ['involvement', 'admin'] as const) {
      const { browser } = await signedInBrowser(app, role);
      for (const p of paths) expect((await browser.get(p)).statusCode, `${role} ${p}`).toBe(200);
      expect((await browser.get('/admin')).body).toContain('href="/admin/organisations"');
      for (const bad of ['/admin/organisations/999999', '/admin/organisations/abc', '/admin/organisations/1e3/edit'])
        expect((await browser.get(bad)).statusCode, bad).toBe(404);
    }
  });
});
