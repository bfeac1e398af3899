import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { insertClaim, insertReceipt } from './finance-test-support.ts';
import { claimEvents } from './tables.ts';

const actions = (db: Awaited<ReturnType<typeof buildTestApp>>['db'], action: string) =>
  db.select().from(auditEvents).where(eq(auditEvents.action, action));

// Payments settings (admins; no BANK_DETAILS_KEY here, so bank details cannot be turned on),
// receipts for finance (audited), totals per person per tax year with the warning, reports, and
// the staff home's counts.
describe('finance settings, receipts, totals and reports', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: admin } = await signedInBrowser(app, 'admin');
  const { browser: finance, staff } = await signedInBrowser(app, 'finance');
  const [ana, ben] = await Promise.all(['Ana Totals', 'Ben Totals'].map((n) => insertContributor(db, n)));

  it('saves the payments settings, with the column order typed as numbers, and audits the change', async () => {
    const page = await admin.get('/admin/finance/settings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This cannot be turned on: the server has no BANK_DETAILS_KEY');
    const form = {
      retentionYears: '7',
      yearWarning: '1,000.50',
      maxMiles: '250',
      'position-claim': '2',
      'position-total': '1',
      'position-payee': '5',
      'position-name': '',
    };
    const res = await admin.submit('/admin/finance/settings', '/admin/finance/settings', form);
    expect(res.statusCode).toBe(303);
    expect(await services.paymentSettings.get()).toEqual({
      retentionYears: 7,
      yearWarningPence: 100_050,
      collectBankDetails: false,
      exportColumns: ['total', 'claim', 'payee'],
      maxMiles: 250,
    });
    const [audit] = await actions(db, 'finance.settings-changed');
    expect(audit!.details).toMatchObject({ changed: ['retentionYears', 'yearWarningPence', 'exportColumns', 'maxMiles'] });
    expect((await admin.get('/admin/finance/settings')).body).toMatch(/id="position-total"[^>]*value="1"/);
  });

  it('refuses bad settings with the error summary and changes nothing', async () => {
    const before = await services.paymentSettings.get();
    const res = await admin.submit('/admin/finance/settings', '/admin/finance/settings', {
      retentionYears: '21',
      yearWarning: '-5',
      collectBankDetails: 'yes',
      maxMiles: '0',
      'position-claim': '1',
      'position-total': '1',
      'position-name': 'x',
    });
    expect(res.statusCode).toBe(400);
    for (const text of [
      'Enter a whole number of years from 1 to 20',
      'Enter the amount in pounds, like 3000 or 2500.50',
      'Bank details cannot be collected: the server has no BANK_DETAILS_KEY',
      'Enter a whole number of miles from 1 to 10000',
      'Total has the same number as another column (1)',
      'Enter a whole number from 1 to 11 for Name, or leave it empty',
    ])
      expect(res.body).toContain(text);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(await services.paymentSettings.get()).toEqual(before);
  });

  it('serves a receipt to finance as an attachment, auditing every view; nobody else gets it', async () => {
    const claim = await insertClaim(db, ana!, { status: 'approved', expensesPence: 450 });
    const expense = await insertReceipt(db, services.storage, claim.id, 450);
    const url = `/admin/finance/claims/${claim.id}/receipts/${expense.id}`;
    for (let i = 0; i < 2; i++) {
      const res = await finance.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain('attachment; filename="car-park.pdf"');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
    const viewed = await actions(db, 'claim.receipt-viewed');
    expect(viewed).toHaveLength(2);
    expect(viewed[0]).toMatchObject({ actorUserId: staff.id, subjectUserId: ana!.id });
    expect((await finance.get(`/admin/finance/claims/${claim.id}/receipts/${expense.id + 1000}`)).statusCode).toBe(404);
    for (const role of ['staff', 'involvement'] as const)
      expect((await (await signedInBrowser(app, role)).browser.get(url)).statusCode).toBe(403);
    expect((await new Browser(app).get(url)).headers.location).toMatch(/^\/sign-in/);
    expect(await actions(db, 'claim.receipt-viewed')).toHaveLength(2);
  });

  it("shows each person's tax-year totals with a warning near and over the amount watched", async () => {
    // Watched: £1,000.50. Ana: £700 paid + £150 on the way = 85% (near); Ben: £1,000.50 paid (over).
    await insertClaim(db, ana!, { status: 'paid', feePence: 70_000, paidOn: '2026-06-01', activityOn: '2026-05-20' });
    await insertClaim(db, ana!, { status: 'submitted', feePence: 15_000, activityOn: '2026-07-01' });
    await insertClaim(db, ana!, { status: 'paid', feePence: 99_900, paidOn: '2026-04-05', activityOn: '2026-03-01' });
    await insertClaim(db, ben!, { status: 'paid', feePence: 100_050, paidOn: '2027-04-05', activityOn: '2027-03-01' });
    const page = await finance.get('/admin/finance/people?year=2026-27');
    expect(page.statusCode).toBe(200);
    const row = (name: string) => page.body.slice(page.body.indexOf(name), page.body.indexOf('</tr>', page.body.indexOf(name)));
    expect(row('Ana Totals')).toContain('£700.00');
    expect(row('Ana Totals')).toContain('Near the amount');
    expect(row('Ben Totals')).toContain('£1,000.50');
    expect(row('Ben Totals')).toContain('At or over the amount');
    expect(page.body).toContain('2 people are near it or over it');
    // The year before: only Ana's claim paid on 5 April 2026.
    const before = await finance.get('/admin/finance/people?year=2025-26');
    expect(before.body).toContain('£999.00');
    expect(before.body).not.toContain('Ben Totals');
    // A year that is not one is this year, not an error.
    expect((await finance.get('/admin/finance/people?year=2026-99')).statusCode).toBe(200);
  });

  it('reports spend by activity, group and month, what is waiting, and the median days to payment', async () => {
    await insertClaim(db, ben!, {
      status: 'paid',
      feePence: 1000,
      activityOn: '2026-09-01',
      paidOn: '2026-09-21',
      groupName: 'Carers panel',
      activityKind: 'workshop',
    });
    await insertClaim(db, ben!, { status: 'exported', feePence: 2001, activityOn: '2026-09-15', groupName: 'Carers panel' });
    const page = await finance.get('/admin/finance/reports?year=2026-27');
    expect(page.statusCode).toBe(200);
    const table = (caption: string) =>
      page.body.slice(page.body.indexOf(caption), page.body.indexOf('</table>', page.body.indexOf(caption)));
    const group = table('Spend by group, 2026-27');
    expect(group).toContain('Carers panel');
    expect(group).toContain('£10.00');
    expect(group).toContain('£20.01');
    expect(group).toContain('£30.01');
    expect(table('Spend by month, 2026-27')).toContain('2026-09');
    expect(table('Spend by activity, 2026-27')).toContain('workshop');
    // Paid in 2026-27: Ana's (12 days), Ben's September claim (20 days) and his March one (35 days).
    expect(page.body).toContain('Median 20 days from the activity to payment, over 3 claims paid in 2026-27.');
    const waiting = table('Claims waiting now');
    expect(waiting).toMatch(/Waiting for approval<\/th>\s*<td[^>]*>1<\/td>/);
  });

  it('counts the waiting work on the staff home for finance only', async () => {
    const home = await finance.get('/admin');
    expect(home.body).toContain('1 approved claim to send to finance');
    expect(home.body).toContain('href="/admin/finance"');
    const staffHome = await (await signedInBrowser(app, 'involvement')).browser.get('/admin');
    expect(staffHome.body).not.toContain('href="/admin/finance"');
    expect(await db.select().from(claimEvents)).toHaveLength(0);
  });
});
