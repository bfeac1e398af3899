import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { parseCsv } from '#src/lib/csv.ts';
import { loadCatalogue } from '#src/lib/i18n.ts';
import { claims } from './tables.ts';
import { addRecord, claimOf, pdfBytes, postClaimForm, seedRates, setPaymentProfile } from './claims-test-support.ts';

const areas = Object.keys(loadCatalogue('en'));
const rawKey = new RegExp(`(?<![\\w/.-])(?:${areas.join('|')})\\.[a-z][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_-]+)*(?![\\w/-])`);
const wordsOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/\b(?:href|src|action|id|for|name|class|aria-describedby|value|accept)="[^"]*"/g, '');

// "What I have done": the person's records with what difference they made, totals per tax year,
// this year's money, their claims; the CSV (safe in a spreadsheet) and the printable page; the
// Welsh pages; and "Your data".
describe("a contributor's record of involvement", async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  await seedRates(db);
  const dai = await joinedContributor(app, sink, 'Dai Doer');
  const older = await addRecord(db, dai.id, {
    title: 'Leaflet review',
    occurredOn: '2026-03-10',
    minutes: 90,
    role: 'speaker',
    groupName: 'Carers panel',
    difference: 'The leaflet now explains respite care in plain words.',
  });
  const newer = await addRecord(db, dai.id, {
    title: '=HYPERLINK("http://evil.example","x")',
    occurredOn: '2026-05-02',
    path: '/meetings/7',
  });
  await postClaimForm(
    app,
    dai.browser,
    `/profile/involvement/${older.id}/claim`,
    { feeChoice: 'declined', 'kind-1': 'parking', 'amount-1': '3.40', action: 'send' },
    [{ name: 'receipt-1', filename: 'car park.pdf', content: pdfBytes }],
  );
  const claim = (await claimOf(db, older.id))!;

  it('lists records newest first, with the difference made, totals, the money and each claim', async () => {
    const page = await dai.browser.get('/profile/involvement');
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body.indexOf('HYPERLINK')).toBeLessThan(body.indexOf('Leaflet review'));
    expect(body).toContain('The leaflet now explains respite care in plain words.');
    expect(body).toContain('href="/meetings/7"');
    expect(body).toContain('Speaker');
    expect(body).toContain('Carers panel');
    expect(body).toContain('1 hr 30 min');
    expect(body).toContain(`href="/profile/claims/${claim.id}"`);
    expect(body).toContain(`href="/profile/involvement/${newer.id}/claim"`);
    // Tax years: March 2026 is 2025-26; May 2026 is 2026-27.
    expect(body).toMatch(/2026-27<\/td><td[^>]*>1<\/td>/);
    expect(body).toMatch(/2025-26<\/td><td[^>]*>1<\/td>/);
    expect(body).toContain('href="/profile/involvement.csv"');
    expect(body).toContain('href="/profile/involvement/print"');
  });

  it('counts what was paid this tax year and what is on its way', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const current = await addRecord(db, dai.id, { title: 'This year', occurredOn: today, minutes: 60 });
    await postClaimForm(app, dai.browser, `/profile/involvement/${current.id}/claim`, { feeChoice: 'fee', action: 'send' });
    const money = await app.services.claims.yearMoney(dai.id);
    expect(money.onTheWayPence).toBe(2500);
    await db.update(claims).set({ status: 'paid', paidOn: today }).where(eq(claims.recordId, current.id));
    const paid = await app.services.claims.yearMoney(dai.id);
    expect([paid.paidFeesPence, paid.onTheWayPence]).toEqual([2500, 0]);
    expect((await dai.browser.get('/profile/involvement')).body).toContain('£25.00');
    const page = await dai.browser.get(`/profile/claims/${(await claimOf(db, current.id))!.id}`);
    expect(page.body).toContain('We paid this claim on');
    await db.delete(claims).where(eq(claims.recordId, current.id));
  });

  it('downloads as a CSV a spreadsheet cannot run, and as a printable page', async () => {
    const csv = await dai.browser.get('/profile/involvement.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="involvement-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(csv.body).map((r) => r.fields);
    expect(rows[0]).toEqual(['Date', 'Activity', 'Group', 'Role', 'Time given', 'Minutes', 'What difference it made', 'Claim']);
    const titles = rows.map((r) => r[1]);
    expect(titles).toContain(`'=HYPERLINK("http://evil.example","x")`);
    expect(rows.find((r) => r[1] === 'Leaflet review')).toEqual([
      '2026-03-10',
      'Leaflet review',
      'Carers panel',
      'Speaker',
      '1 hr 30 min',
      '90',
      'The leaflet now explains respite care in plain words.',
      'Sent',
    ]);

    const print = await dai.browser.get('/profile/involvement/print');
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('Record of involvement: Dai Doer');
    expect(print.body).toMatch(/Involvement with Coproduce, as recorded on \d{1,2} \w+ \d{4}\./);
    expect(print.body).toContain('Leaflet review');
    expect(print.body).toContain('/assets/involvement-print.css');
    expect(print.body).not.toContain('/profile/claims/');
  });

  it('shows every page in Welsh with no keys or untranslated messages', async () => {
    await setPaymentProfile(db, dai.id, { receivesBenefits: 'yes', publicSectorEmployee: 'yes' });
    const draftRecord = await addRecord(db, dai.id, { occurredOn: '2026-08-08' });
    await postClaimForm(app, dai.browser, `/profile/involvement/${draftRecord.id}/claim`, { feeChoice: 'fee', action: 'send' });
    const draft = (await claimOf(db, draftRecord.id))!;
    expect((await dai.browser.get('/profile/involvement?lang=cy')).statusCode).toBe(200);
    const pages = [
      '/profile/involvement',
      '/profile/involvement/print',
      `/profile/involvement/${newer.id}/claim`,
      `/profile/claims/${claim.id}?saved=sent`,
      `/profile/claims/${draft.id}/before-you-send`,
      '/profile/data',
    ];
    for (const url of pages) {
      const res = await dai.browser.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<html lang="cy"');
      expect(res.body, url).not.toContain('\u27E6');
      expect(rawKey.exec(wordsOf(res.body))?.[0] ?? null, url).toBeNull();
    }
    const step = await dai.browser.get(`/profile/claims/${draft.id}/before-you-send`);
    expect(step.body).toContain('Credyd Cynhwysol');
    const refused = await postClaimForm(app, dai.browser, `/profile/involvement/${newer.id}/claim`, {
      feeChoice: 'fee',
      'kind-1': 'meals',
      'amount-1': '-1',
      action: 'send',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Ni all swm traul 1 fod yn llai na sero');
    await dai.browser.get('/profile?lang=en');
  });

  it('puts records and claims in "Your data", receipts named but not included', async () => {
    const page = await dai.browser.get('/profile/data');
    expect(page.body).toContain('Your involvement records');
    expect(page.body).toContain(`C${claim.id}: Leaflet review, £3.40 (Sent)`);
    const data = JSON.parse((await dai.browser.get('/profile/data.json')).body) as {
      claims: { reference: string; totalPence: number; expenses: { receipt: string }[]; history: { status: string }[] }[];
      involvementRecords: unknown[];
    };
    const mine = data.claims.find((c) => c.reference === `C${claim.id}`)!;
    expect(mine.totalPence).toBe(340);
    expect(mine.expenses).toEqual([{ kind: 'parking', description: '', miles: null, amountPence: 340, receipt: 'car park.pdf' }]);
    expect(mine.history.map((h) => h.status)).toEqual(['draft', 'submitted']);
    expect(data.involvementRecords.length).toBeGreaterThanOrEqual(2);
  });
});
