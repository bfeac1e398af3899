import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { Browser, buildTestApp, hiddenFields, signedInBrowser } from '#tests/helpers/app.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { newsletterConsentEvents, newsletterSubscribers } from './tables.ts';
import { addTopics, subscribe } from './test-support.ts';
import { parseCsv } from './csv.ts';
import { multipart } from '#tests/helpers/multipart.ts';

describe('importing and exporting subscribers', async () => {
  const { app, db } = await buildTestApp();
  const [news] = await addTopics(app, ['News and stories', 'Research findings']);
  const { browser: staff } = await signedInBrowser(app);
  await subscribe(app, 'already@example.net', [news]);
  await subscribe(app, 'left@example.net', [news]);
  await app.services.newsletters.subscribers.setStatus(
    (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, 'left@example.net')))[0]!.id,
    'unsubscribed',
    { action: 'unsubscribed', source: 'test' },
  );
  // Imports run as a background job: the report page refreshes itself until the job has finished.
  async function finished(url: string) {
    for (let i = 0; i < 200; i++) {
      const page = await staff.get(url);
      if (!page.body.includes('data-refresh-seconds')) return page;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`import at ${url} did not finish`);
  }
  const mailCount = async () => Number((await db.select({ n: count() }).from(mailMessages))[0]!.n);

  async function upload(content: string, filename = 'people.csv') {
    const page = await staff.get('/admin/newsletters/subscribers/import');
    const { body, contentType } = multipart(hiddenFields(page.body, '/admin/newsletters/subscribers/import'), {
      name: 'file',
      filename,
      content,
    });
    return app.inject({
      method: 'POST',
      url: '/admin/newsletters/subscribers/import',
      payload: body,
      headers: { 'content-type': contentType, cookie: staff.cookieHeader },
    });
  }

  it('imports good rows, reports every rejected row with its reason, and emails nobody', async () => {
    const before = await mailCount();
    const csv = [
      'Email,Name,Topics,Consented_at,Source',
      'new.one@example.net,New One,News and stories,2026-03-31,Paper form at open day',
      '"new.two@example.net","Two, Person","news and stories; Research findings",31/03/2026,"Event sign-up sheet"',
      'not-an-email,X,News and stories,2026-03-31,Form',
      'new.one@example.net,Again,News and stories,2026-03-31,Form',
      'notopic@example.net,,,2026-03-31,Form',
      'badtopic@example.net,,Gardening,2026-03-31,Form',
      'baddate@example.net,,News and stories,31st March,Form',
      'future@example.net,,News and stories,2099-01-01,Form',
      'nosource@example.net,,News and stories,2026-03-31,',
      'already@example.net,,News and stories,2026-03-31,Form',
      'left@example.net,,News and stories,2026-03-31,Form',
    ].join('\r\n');
    const res = await upload(csv);
    expect(res.statusCode).toBe(303);
    const report = await finished(String(res.headers.location));
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('people.csv');
    expect(report.body).toMatch(/Imported\s*<\/dt>\s*<dd[^>]*>\s*2\s*</);
    expect(report.body).toMatch(/Rejected\s*<\/dt>\s*<dd[^>]*>\s*9\s*</);
    for (const reason of [
      'Email address is not valid',
      'Same email address as line 2',
      'No topic given',
      'Unknown topic: Gardening',
      'Consent date is missing, not a date, or in the future',
      'Source is missing',
      'Already subscribed; not changed',
      'Has unsubscribed; an import does not subscribe them again',
    ]) {
      expect(report.body).toContain(reason);
    }
    expect(report.body.match(/Consent date is missing/g)!.length).toBe(2);
    expect(await mailCount()).toBe(before);

    const [two] = await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, 'new.two@example.net'));
    expect(two).toMatchObject({ status: 'active', name: 'Two, Person', source: 'Event sign-up sheet' });
    expect(two!.consentedAt!.toISOString().slice(0, 10)).toBe('2026-03-31');
    const events = await db.select().from(newsletterConsentEvents).where(eq(newsletterConsentEvents.subscriberId, two!.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'imported', source: 'import', topics: ['News and stories', 'Research findings'] });
    expect((await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, 'left@example.net')))[0]!.status).toBe(
      'unsubscribed',
    );
  });

  it('takes pasted CSV when no file is chosen', async () => {
    const res = await staff.submit('/admin/newsletters/subscribers/import', '/admin/newsletters/subscribers/import', {
      csv: 'email,topics,consented_at,source\npasted@example.net,Research findings,2026-01-05,Phone call',
    });
    expect(res.statusCode).toBe(303);
    await finished(String(res.headers.location));
    expect((await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, 'pasted@example.net')))[0]!.status).toBe(
      'active',
    );
  });

  it('explains a file it cannot use, changing nothing', async () => {
    const noColumns = await upload('mail,who\nx@example.net,X');
    expect(noColumns.statusCode).toBe(400);
    expect(noColumns.body).toContain('The first row must name the columns');
    expect(noColumns.body).toContain('href="#file"');
    const empty = await upload('');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Select a CSV file, or paste the CSV into the box');
    const headerOnly = await upload('email,topics,consented_at,source\n');
    expect(headerOnly.body).toContain('no rows of people');
  });

  it('turns away uploads from people who are not signed in before reading them', async () => {
    const { body, contentType } = multipart(
      { _csrf: 'x' },
      { name: 'file', filename: 'a.csv', content: 'email,topics,consented_at,source\nsneak@example.net,News and stories,2026-01-01,x' },
    );
    const res = await new Browser(app).post('/admin/newsletters/subscribers/import', {}, { 'content-type': contentType });
    expect([302, 403]).toContain(res.statusCode);
    const direct = await app.inject({
      method: 'POST',
      url: '/admin/newsletters/subscribers/import',
      payload: body,
      headers: { 'content-type': contentType },
    });
    expect(direct.statusCode).toBe(302);
    expect((await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, 'sneak@example.net'))).length).toBe(0);
  });

  it('exports the list as CSV with consent date and source, safe to open in a spreadsheet', async () => {
    await app.services.newsletters.admin.importCsv(
      'email,name,topics,consented_at,source\nformula@example.net,=HYPERLINK("x"),News and stories,2026-01-01,Form\n',
      { filename: 'f.csv', staffUserId: null },
    );
    const res = await staff.get('/admin/newsletters/subscribers/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="subscribers-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parseCsv(res.body).map((r) => r.fields);
    expect(rows[0]).toEqual(['email', 'name', 'status', 'topics', 'consented_at', 'source']);
    const two = rows.find((r) => r[0] === 'new.two@example.net')!;
    expect(two).toEqual([
      'new.two@example.net',
      'Two, Person',
      'active',
      'News and stories; Research findings',
      '2026-03-31T00:00:00.000Z',
      'Event sign-up sheet',
    ]);
    expect(rows.find((r) => r[0] === 'formula@example.net')![1]).toBe(`'=HYPERLINK("x")`);
    expect(rows.find((r) => r[0] === 'left@example.net')![2]).toBe('unsubscribed');
    const onlyActive = parseCsv((await staff.get('/admin/newsletters/subscribers/export.csv?status=unsubscribed')).body).map(
      (r) => r.fields[0],
    );
    expect(onlyActive).toEqual(['email', 'left@example.net']);
  });
});
