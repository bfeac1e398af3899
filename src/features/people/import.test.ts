import { describe, expect, it } from 'vitest';
import { count, eq, inArray, sql } from 'drizzle-orm';
import { Browser, buildTestApp, hiddenFields, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor, linkEmailedTo } from '#tests/helpers/contributors.ts';
import { multipart } from '#tests/helpers/multipart.ts';
import { parseCsv } from '#src/lib/csv.ts';
import { user } from '#src/platform/identity/tables.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { contributorImports } from './tables.ts';
import { HEADER, row } from './import-test-support.ts';
import { contributorLivedExperience, contributorProfiles, livedExperienceTerms } from '#src/features/profile/tables.ts';
import { consentEvents } from '#src/features/data-rights/tables.ts';

describe('importing an existing register of contributors', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  await db.insert(livedExperienceTerms).values([
    { category: 'condition', label: 'Diabetes' },
    { category: 'caring', label: 'Carer for a parent' },
  ]);
  const { browser: staff, staff: staffAccount } = await signedInBrowser(app, 'involvement');
  const existing = await joinedContributor(app, sink, 'Existing Person', 'existing@example.net');

  async function upload(browser: Browser, content: string | Buffer, filename = 'register.csv') {
    const page = await browser.get('/admin/people/import');
    const { body, contentType } = multipart(hiddenFields(page.body, '/admin/people/import'), { name: 'file', filename, content });
    return app.inject({
      method: 'POST',
      url: '/admin/people/import',
      payload: body,
      headers: { 'content-type': contentType, cookie: browser.cookieHeader },
    });
  }
  async function finished(browser: Browser, url: string) {
    for (let i = 0; i < 300; i++) {
      const page = await browser.get(url);
      if (!page.body.includes('data-refresh-seconds')) return page;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`import at ${url} did not finish`);
  }
  // Upload → columns (the guesses, as posted back by the form) → confirm → report.
  async function importThrough(browser: Browser, csv: string, columns?: Record<string, string>) {
    const uploaded = await upload(browser, csv);
    expect(uploaded.statusCode).toBe(303);
    const columnsUrl = String(uploaded.headers.location);
    const page = await browser.get(columnsUrl);
    expect(page.statusCode).toBe(200);
    const guessed = Object.fromEntries(
      [...page.body.matchAll(/<select[^>]*name="(column-\d+)"[\s\S]*?<option value="([^"]+)"[^>]*selected/g)].map((m) => [m[1]!, m[2]!]),
    );
    const mapped = await browser.post(columnsUrl, { ...hiddenFields(page.body, columnsUrl), ...guessed, ...columns });
    expect(mapped.statusCode).toBe(303);
    const confirmUrl = String(mapped.headers.location);
    const started = await browser.submit(confirmUrl, confirmUrl, {});
    expect(started.statusCode).toBe(303);
    return { url: String(started.headers.location), report: await finished(browser, String(started.headers.location)) };
  }
  const mailCount = async () => Number((await db.select({ n: count() }).from(mailMessages))[0]!.n);

  it('imports good rows with their profile, lived experience and consent, rejects the rest with reasons, and emails nobody', async () => {
    const mailsBefore = await mailCount();
    const deliveredBefore = sink.delivered.length;
    const csv = [
      HEADER,
      row({
        name: 'Sam Patel',
        email: 'Sam@Example.net',
        known: 'Sam',
        phone: '07700 900 982',
        address: '1 High Street\nLeeds',
        region: 'Yorkshire and the Humber',
        interests: 'Surveys; Co-design',
        lived: 'diabetes; Carer for a parent',
        access: 'Step-free access',
        payment: 'Vouchers',
        last: '01/06/2025',
        date: '31/03/2024',
        how: 'Paper form at open day',
        notes: 'ignored',
      }),
      row({ name: 'Alex Jones', email: 'alex@example.net' }),
      row({ email: '' }),
      row({ email: 'nope' }),
      row({ email: 'sam@example.net' }),
      row({ email: 'existing@example.net', name: 'Overwritten Name' }),
      row({ email: 'date@example.net', date: '' }),
      row({ email: 'future@example.net', date: '2099-01-01' }),
      row({ email: 'how@example.net', how: '' }),
      row({ email: 'interest@example.net', interests: 'Knitting' }),
      row({ email: 'lived@example.net', lived: 'Asthma' }),
      row({ email: 'long@example.net', name: 'x'.repeat(121) }),
      row({ email: 'formula@example.net', name: '=HYPERLINK("http://evil.example")', known: '<b>' }),
    ].join('\r\n');
    const { url, report } = await importThrough(staff, csv);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Import report');
    expect(report.body).toMatch(/Imported\s*<\/dt>\s*<dd[^>]*>\s*2\s*</);
    expect(report.body).toMatch(/Rejected\s*<\/dt>\s*<dd[^>]*>\s*11\s*</);
    expect(report.body).toContain('Nobody was emailed');
    for (const reason of [
      'Email address is missing: everyone on the register needs one',
      'Email address is not valid',
      'Same email address as line 2',
      'An account with this email address already exists; it was not changed',
      'Consent date is missing',
      'Consent date is not a date, or is in the future',
      'How consent was given is missing',
      'Unknown interest: Knitting',
      'Unknown lived experience: Asthma',
      'Full name must be 120 characters or fewer',
      'Preferred name must not include &lt; &gt; or control characters',
    ]) {
      expect(report.body).toContain(reason);
    }
    // In Welsh: the report's own words in Welsh, a reason with no Welsh yet in English, never a key.
    const reportCy = await staff.get(`${url}?lang=cy`);
    expect(reportCy.body).toContain('<html lang="cy">');
    expect(reportCy.body).toContain('<h1>Adroddiad y mewnforio</h1>');
    expect(reportCy.body).toContain('Rhesi heb eu mewnforio');
    expect(reportCy.body).toContain('Same email address as line 2');
    expect(reportCy.body).not.toMatch(/\u27E6|\b(?:people|jobs)\.admin\./);
    await staff.get(`${url}?lang=en`);

    // The account, unverified, a contributor; the profile marked imported; terms and consent.
    const [sam] = await db.select().from(user).where(eq(user.email, 'sam@example.net'));
    expect(sam).toMatchObject({ name: 'Sam Patel', role: 'contributor', emailVerified: false });
    const [profile] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, sam!.id));
    expect(profile).toMatchObject({
      source: 'imported',
      preferredName: 'Sam',
      phone: '07700 900 982',
      postalAddress: '1 High Street\nLeeds',
      region: 'Yorkshire and the Humber',
      interests: ['surveys', 'co-design'],
      accessNeedsNotes: 'Step-free access',
      paymentPreference: 'vouchers',
    });
    expect(profile!.lastInvolvedAt!.toISOString().slice(0, 10)).toBe('2025-06-01');
    // The search fields, written by the bulk insert rather than the row trigger, are what the
    // trigger itself computes when the profile is touched, and the register's search finds them.
    expect(profile).toMatchObject({ accountName: 'Sam Patel', accountEmail: 'sam@example.net', sortName: 'sam patel', listed: true });
    expect(profile!.joinedAt).toEqual(sam!.createdAt);
    expect(profile!.searchVector).toBe(
      "'access':11 'and':5B 'free':10 'humber':7B 'patel':2A 'sam':1A,3A 'step':9 'step-free':8 'the':6B 'yorkshire':4B",
    );
    await db.execute(sql`update ${contributorProfiles} set preferred_name = preferred_name where user_id = ${sam!.id}`);
    const [touched] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, sam!.id));
    expect(touched).toEqual(profile);
    expect((await db.select().from(contributorLivedExperience).where(eq(contributorLivedExperience.userId, sam!.id))).length).toBe(2);
    const consents = await db.select().from(consentEvents).where(eq(consentEvents.userId, sam!.id));
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      action: 'imported',
      purpose: 'contributor-network',
      privacyNoticeVersion: '',
      source: 'Paper form at open day',
    });
    expect(consents[0]!.at.toISOString().slice(0, 10)).toBe('2024-03-31');

    // The existing account is untouched; nothing was made for rejected rows.
    expect((await db.select().from(user).where(eq(user.id, existing.id)))[0]!.name).toBe('Existing Person');
    expect(
      await db
        .select()
        .from(user)
        .where(inArray(user.email, ['date@example.net', 'future@example.net', 'how@example.net', 'formula@example.net'])),
    ).toHaveLength(0);

    // The file is gone; the audit trail has counts, not data.
    const id = Number(url.split('/').pop());
    const [job] = await db.select().from(contributorImports).where(eq(contributorImports.id, id));
    expect(job).toMatchObject({ status: 'done', fileContent: null, totalRows: 13, processedRows: 13, importedCount: 2, rejectedCount: 11 });
    const audits = await db.select().from(auditEvents).where(eq(auditEvents.action, 'contributor.register-imported'));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorUserId: staffAccount.id, details: { importId: id, rows: 13, imported: 2, rejected: 11 } });
    expect(JSON.stringify(audits[0])).not.toContain('@example.net');

    // The rejected rows as CSV, safe to open in a spreadsheet.
    const download = await staff.get(`${url}/rejected.csv`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('text/csv');
    expect(download.headers['content-disposition']).toContain('attachment');
    const rows = parseCsv(download.body).map((r) => r.fields);
    expect(rows[0]).toEqual(['line', 'email', 'reason']);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    // (Sam's address holds a line break, so every later row starts a line further down.)
    expect(rows.find((r) => r[1] === 'existing@example.net')![2]).toBe(
      'An account with this email address already exists; it was not changed',
    );

    // Nobody is emailed: no message queued and none delivered (the mail worker polls every second).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await mailCount()).toBe(mailsBefore);
    expect(sink.delivered.length).toBe(deliveredBefore);
  });

  it('lets an imported person sign in by email link and see the consent we hold', async () => {
    const browser = new Browser(app);
    const asked = await browser.submit('/sign-in/email', '/sign-in/email', { email: 'alex@example.net' });
    expect(asked.statusCode).toBe(303);
    const { path } = await linkEmailedTo(sink, 'alex@example.net');
    const done = await browser.submit(path, '/sign-in/continue', {});
    expect(done.statusCode).toBe(303);
    const profile = await browser.get('/profile');
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain('to be on our earlier register (Paper form)');
    const data = await browser.get('/profile/data');
    expect(data.statusCode).toBe(200);
    expect(data.body).toContain('Agreed before this website, as recorded on our earlier register: Paper form');
    expect(data.body).toContain('Not recorded');
  });

  it('asks again for columns that are missing or chosen twice, changing nothing', async () => {
    const uploaded = await upload(staff, 'Who,Mail,When\nA,a@example.net,2025-01-01\n');
    const columnsUrl = String(uploaded.headers.location);
    const page = await staff.get(columnsUrl);
    expect(page.body).toContain('For example: a@example.net');
    const res = await staff.post(columnsUrl, {
      ...hiddenFields(page.body, columnsUrl),
      'column-0': 'email',
      'column-1': 'email',
      'column-2': 'consentDate',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Email address is already chosen for the column “Who”');
    expect(res.body).toContain('Choose the column that holds how consent was given');
    // Confirming without good columns goes back to the columns; nothing is queued.
    const confirmUrl = columnsUrl.replace('/columns', '/confirm');
    const confirm = await staff.submit(columnsUrl, confirmUrl, {});
    expect(confirm.headers.location).toBe(columnsUrl);
    const id = Number(columnsUrl.split('/')[4]);
    expect((await db.select().from(contributorImports).where(eq(contributorImports.id, id)))[0]!.status).toBe('draft');
  });

  it('explains a file it cannot use, storing nothing', async () => {
    const before = Number((await db.select({ n: count() }).from(contributorImports))[0]!.n);
    const cases: [string | Buffer, string][] = [
      ['', 'Select a CSV file'],
      ['   \r\n', 'The selected file is empty'],
      [`${HEADER}\r\n`, 'The file has column names but no rows of people'],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), 'The selected file must be a CSV file'],
      [
        Buffer.concat([Buffer.from(`${HEADER}\r\n`), Buffer.from('Ren\xe9e,renee@example.net\r\n', 'latin1')]),
        'The selected file is not in UTF-8',
      ],
      [`${HEADER}\r\nA,${'x'.repeat(100_001)}\r\n`, 'Line 2 is too long'],
      [`${Array.from({ length: 61 }, (_, i) => `c${i}`).join(',')}\r\n1\r\n`, 'The file must have 60 columns or fewer'],
    ];
    for (const [content, message] of cases) {
      const res = await upload(staff, content);
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).toContain('href="#file"');
    }
    expect(Number((await db.select({ n: count() }).from(contributorImports))[0]!.n)).toBe(before);
  });

  it('is for admins and involvement staff only', async () => {
    const { browser: admin } = await signedInBrowser(app, 'admin');
    const ok = await importThrough(admin, [HEADER, row({ email: 'by-admin@example.net' })].join('\n'));
    expect(ok.report.body).toMatch(/Imported\s*<\/dt>\s*<dd[^>]*>\s*1\s*</);
    const id = ok.url.split('/').pop();
    const draft = String((await upload(admin, [HEADER, row({ email: 'draft@example.net' })].join('\n'))).headers.location).split('/')[4];
    const gets = [
      '/admin/people/import',
      `/admin/people/import/${id}`,
      `/admin/people/import/${id}/rejected.csv`,
      `/admin/people/import/${draft}/columns`,
      `/admin/people/import/${draft}/confirm`,
    ];
    const posts = [`/admin/people/import/${draft}/columns`, `/admin/people/import/${draft}/confirm`];

    const { browser: otherStaff } = await signedInBrowser(app, 'staff');
    const contributor = await joinedContributor(app, sink, 'Curious Contributor');
    const anonymous = new Browser(app);
    for (const [who, browser, status] of [
      ['staff', otherStaff, 403],
      ['contributor', contributor.browser, 403],
      ['anonymous', anonymous, 302],
    ] as const) {
      for (const url of gets) expect((await browser.get(url)).statusCode, `${who} GET ${url}`).toBe(status);
      // Anonymous posts are refused by the CSRF check (403) or sent to sign in (302); never run.
      for (const url of posts)
        expect(who === 'anonymous' ? [302, 403] : [status], `${who} POST ${url}`).toContain(
          (await browser.submit('/', url, { 'column-0': 'email' })).statusCode,
        );
      const res = await upload(browser, [HEADER, row({ email: `sneak-${who}@example.net` })].join('\n'));
      expect([302, 401, 403], `${who} upload`).toContain(res.statusCode);
    }
    for (const browser of [staff, admin]) for (const url of gets) expect((await browser.get(url)).statusCode, url).toBe(200);
    expect(
      await db
        .select()
        .from(user)
        .where(sql`${user.email} like 'sneak-%'`),
    ).toHaveLength(0);
    expect(
      (
        await db
          .select()
          .from(contributorImports)
          .where(eq(contributorImports.id, Number(draft)))
      )[0]!.status,
    ).toBe('draft');
  });
});
