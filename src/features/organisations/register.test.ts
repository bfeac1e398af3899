import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { organisations } from './tables.ts';
import { ORGANISATION_PRIVACY_VERSION } from './schema.ts';
import { register, registration } from './test-support.ts';

describe('registering a partner organisation', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const policy = services.organisations.policy;
  Object.assign(policy, { minFillMs: 0, perIp: { max: 1000, windowMs: 60 * 60 * 1000 } });
  const countRows = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(organisations))[0]!.n;

  it('shows the form with every field, the consent linked to the privacy notice, a honeypot and a stamp', async () => {
    const page = await new Browser(app).get('/organisations/register');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    for (const label of [
      'Organisation name',
      'Kind of organisation',
      'What the organisation does',
      'Area it works in',
      'Website (optional)',
      'Contact name',
      'Role in the organisation',
      'Email address',
      'Phone number (optional)',
    ]) {
      expect(page.body).toContain(label);
    }
    for (const kind of ['User-led group', 'Charity', 'Community group', 'Social enterprise', 'Other']) expect(page.body).toContain(kind);
    expect(page.body).toContain('href="/privacy#partner-organisations"');
    expect(page.body).toMatch(/name="stamp" value="v1\./);
    expect(page.body).toContain('name="fax"');
    const privacy = await new Browser(app).get('/privacy');
    expect(privacy.body).toContain('id="partner-organisations"');
    expect(privacy.body).toContain(ORGANISATION_PRIVACY_VERSION);
    // The public list and the footer link to it.
    expect((await new Browser(app).get('/')).body).toContain('href="/organisations"');
  });

  it('stores a registration as pending, confirms it, and emails the contact and the moderation address', async () => {
    await services.settings.update({ ...(await services.settings.get()), name: 'Test Org', moderationEmail: 'moderators@example.org' });
    const form = registration({
      name: 'Hillside Hearing Voices Group',
      kind: 'user-led',
      contactName: 'Ana Lopes',
      contactEmail: 'Ana.Lopes@Example.net',
      contactPhone: '01632 960 001',
    });
    const res = await register(app, form);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/organisations/register/done');
    const done = await new Browser(app).get('/organisations/register/done');
    expect(done.body).toContain('Thank you for registering');

    const [row] = await db.select().from(organisations).where(eq(organisations.name, 'Hillside Hearing Voices Group'));
    expect(row).toMatchObject({
      status: 'pending',
      kind: 'user-led',
      contactEmail: 'ana.lopes@example.net',
      contactPhone: '01632 960 001',
      website: 'https://carers.example.org',
      privacyNoticeVersion: ORGANISATION_PRIVACY_VERSION,
      ipAddress: '127.0.0.1',
    });

    const toContact = await sink.parse(await waitFor(() => sink.to('ana.lopes@example.net')[0]));
    expect(toContact.subject).toBe('We have received Hillside Hearing Voices Group’s registration');
    expect(toContact.text).toContain('Dear Ana Lopes,');
    const alert = await sink.parse(await waitFor(() => sink.to('moderators@example.org')[0]));
    expect(alert.subject).toBe('A partner organisation is waiting for approval: Hillside Hearing Voices Group');
    expect(alert.text).toContain(`http://localhost:3000/admin/organisations/${row!.id}`);

    // Pending organisations are not on the public list.
    expect((await new Browser(app).get('/organisations')).body).not.toContain('Hillside Hearing Voices Group');
  });

  it('sends no moderation alert when no moderation address is set', async () => {
    await services.settings.update({ ...(await services.settings.get()), moderationEmail: '' });
    const before = sink.delivered.length;
    const form = registration({ contactEmail: 'quiet-alert@example.org' });
    expect((await register(app, form)).statusCode).toBe(303);
    await waitFor(() => sink.to('quiet-alert@example.org')[0]);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.delivered.length).toBe(before + 1);
  });

  it('refuses missing and invalid answers with the error summary, storing nothing', async () => {
    const before = await countRows();
    const empty = await register(app, {
      name: '',
      kind: '',
      description: '',
      area: '',
      contactName: '',
      contactRole: '',
      contactEmail: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('nhsuk-error-summary');
    for (const message of [
      'Enter the name of your organisation',
      'Select the kind of organisation',
      'Enter what your organisation does',
      'Enter the area your organisation works in',
      'Enter the name of the contact',
      'Enter the contact’s role in the organisation',
      'Enter an email address',
      'Confirm that you agree to us keeping the contact’s details',
    ]) {
      expect(empty.body).toContain(message);
    }
    expect(empty.body).toContain('href="#name"');

    const bad = await register(
      app,
      registration({ website: 'javascript:alert(1)', contactEmail: 'not-an-email', contactPhone: 'call me', kind: 'cult' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a website address that starts with https:// or http://');
    expect(bad.body).toContain('Enter an email address in the correct format');
    expect(bad.body).toContain('Enter a phone number');
    expect(bad.body).toContain('Select the kind of organisation');
    // What they typed is kept, escaped.
    expect(bad.body).toContain('value="javascript:alert(1)"');
    expect(await countRows()).toBe(before);
  });

  it('accepts only http and https web addresses with a real host', async () => {
    const before = await countRows();
    for (const website of [
      'ftp://example.org',
      'https://',
      'http://localhost',
      'https://user:pass@example.org',
      'https://exa mple.org',
      'data:text/html,hi',
      '//example.org',
      'https://example.org/"onmouseover="x',
    ]) {
      const res = await register(app, registration({ website }));
      expect(res.statusCode, website).toBe(400);
      expect(res.body).toContain('Enter a website address');
    }
    expect(await countRows()).toBe(before);
    expect((await register(app, registration({ website: '' }))).statusCode).toBe(303);
    expect((await register(app, registration({ website: 'http://www.example.org/about?x=1' }))).statusCode).toBe(303);
  });

  it('never fails on hostile input: markup, control characters, huge values, arrays, nonsense', async () => {
    const before = await countRows();
    const hostile = [
      registration({ name: '<script>alert(1)</script>' }),
      registration({ description: 'x'.repeat(601) }),
      registration({ area: 'a'.repeat(5000) }),
      registration({ name: ['One', 'Two'] }),
      registration({ consent: ['yes', 'no'] }),
      registration({ consent: 'maybe' }),
      registration({ contactEmail: `${'a'.repeat(250)}@example.org` }),
    ];
    for (const form of hostile) {
      const res = await register(app, form);
      expect(res.statusCode, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).not.toContain('<script>alert(1)</script>');
    }
    expect(await countRows()).toBe(before);
    // Without a CSRF token nothing happens at all.
    const forged = await new Browser(app).post('/organisations/register', registration());
    expect(forged.statusCode).toBe(403);
    expect(await countRows()).toBe(before);
    // Control characters are removed before any route sees them (src/plugins/input.ts, issue 17).
    const invisible = await register(app, registration({ contactName: 'Robert\u0000Tables', description: 'Bell \u0007 here' }));
    expect(invisible.statusCode).toBe(303);
  });

  it('tells a second registration with the same name (any case) that it is already registered, and stores nothing', async () => {
    const first = registration({ name: 'Eastside Stroke Club' });
    expect((await register(app, first)).statusCode).toBe(303);
    const before = await countRows();
    const again = await register(app, registration({ name: 'EASTSIDE stroke club', contactEmail: 'someone-else@example.org' }));
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('EASTSIDE stroke club has already registered with us');
    expect(await countRows()).toBe(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.to('someone-else@example.org')).toHaveLength(0);

    // A declined organisation may register again.
    const [row] = await db.select().from(organisations).where(eq(organisations.name, 'Eastside Stroke Club'));
    await db.update(organisations).set({ status: 'declined' }).where(eq(organisations.id, row!.id));
    expect((await register(app, registration({ name: 'Eastside Stroke Club' }))).statusCode).toBe(303);
  });

  it('refuses the honeypot and a missing, forged or reused-from-comments stamp', async () => {
    const before = await countRows();
    const honey = await register(app, registration({ fax: 'http://spam.example' }));
    expect(honey.statusCode).toBe(400);
    expect(honey.body).toContain('We could not accept your registration');

    const browser = new Browser(app);
    await browser.get('/organisations/register');
    const page = await browser.get('/organisations/register');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const commentStamp = services.comments.issueFormStamp(Date.now() - 60_000);
    for (const stamp of ['', 'v1.abc.forged', commentStamp]) {
      const res = await browser.post('/organisations/register', { ...registration(), _csrf: csrf, stamp });
      expect(res.statusCode, stamp).toBe(400);
      expect(res.body).toContain('We could not accept your registration');
    }

    expect(await countRows()).toBe(before);
  });

  it('gives a form sent too fast back as typed, asking to check the answers and send again', async () => {
    const before = await countRows();
    policy.minFillMs = 60_000;
    try {
      const fast = await register(app, registration({ name: 'Quick & Fingers Trust' }));
      expect(fast.statusCode).toBe(400);
      expect(fast.body).toContain('Check your answers and send again');
      expect(fast.body).not.toContain('We could not accept your registration');
      expect(fast.body).toContain('value="Quick &amp; Fingers Trust"');
    } finally {
      policy.minFillMs = 0;
    }
    expect(await countRows()).toBe(before);
  });

  it('asks for the form again when it was open too long', async () => {
    const before = await countRows();
    const browser = new Browser(app);
    const page = await browser.get('/organisations/register');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const old = services.organisations.issueFormStamp(Date.now() - 2 * 24 * 60 * 60 * 1000);
    const res = await browser.post('/organisations/register', { ...registration(), _csrf: csrf, stamp: old });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This page was open for a long time');
    expect(await countRows()).toBe(before);
  });

  it('limits registrations from one internet address, counted in the database', async () => {
    const [{ n }] = (await db
      .select({ n: sql<number>`count(*)::int` })
      .from(organisations)
      .where(eq(organisations.ipAddress, '127.0.0.1'))) as [{ n: number }];
    policy.perIp = { max: n + 2, windowMs: 60 * 60 * 1000 };
    try {
      expect((await register(app, registration())).statusCode).toBe(303);
      expect((await register(app, registration())).statusCode).toBe(303);
      const before = await countRows();
      const limited = await register(app, registration({ description: 'My words to keep.' }));
      expect(limited.statusCode).toBe(429);
      expect(limited.body).toContain('Several registrations have come from your internet connection');
      expect(await countRows()).toBe(before);
    } finally {
      policy.perIp = { max: 1000, windowMs: 60 * 60 * 1000 };
    }
  });

  it('is reachable by everyone: the list and the form for anonymous, contributors and staff', async () => {
    for (const role of ['staff', 'involvement', 'admin'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get('/organisations')).statusCode).toBe(200);
      expect((await browser.get('/organisations/register')).statusCode).toBe(200);
    }
  });
});
