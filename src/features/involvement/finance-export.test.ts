import { describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { waitFor } from '#tests/helpers/smtp.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { parseCsv } from '#src/lib/csv.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { tellPeople } from './finance-emails.ts';
import { insertClaim } from './finance-test-support.ts';
import { penceToPounds } from './money.ts';
import { claimEvents, claims, financeExports } from './tables.ts';

const dateFields = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return { 'paidOn-day': String(Number(d)), 'paidOn-month': String(Number(m)), 'paidOn-year': y! };
};
const daysFromToday = (n: number) => new Date(Date.parse(`${todayInLondon()}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

// Finance sends approved claims in an export (one transaction, each person told once), downloads
// its CSV (totals to the penny, formulas neutralised, every download audited), and marks it paid.
describe('finance exports', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: finance, staff } = await signedInBrowser(app, 'finance');
  const [ana, ben, eve] = await Promise.all(
    ['Ana Approved', 'Ben Approved', '=HYPERLINK("http://x")'].map((n) => insertContributor(db, n)),
  );
  const mailTo = (email: string) => db.select().from(mailMessages).where(eq(mailMessages.toAddress, email));
  const actions = (action: string) => db.select().from(auditEvents).where(eq(auditEvents.action, action));

  it('is for finance staff and admins only', async () => {
    for (const role of ['staff', 'involvement'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get('/admin/finance')).statusCode).toBe(403);
      expect((await browser.get('/admin/finance/people')).statusCode).toBe(403);
    }
    const { browser: admin } = await signedInBrowser(app, 'admin');
    expect((await admin.get('/admin/finance')).statusCode).toBe(200);
    expect((await finance.get('/admin/finance/settings')).statusCode).toBe(403);
  });

  let exportId = 0;
  it('exports every approved claim once, tells each person once, and lists the export', async () => {
    const a1 = await insertClaim(db, ana!, { status: 'approved', feePence: 1234, expensesPence: 567 });
    const a2 = await insertClaim(db, ana!, { status: 'approved', feePence: 3333, expensesPence: 1, activityTitle: 'Workshop' });
    const b1 = await insertClaim(db, ben!, { status: 'approved', feePence: 99_999, expensesPence: 1, activityTitle: 'Conference talk' });
    const e1 = await insertClaim(db, eve!, { status: 'approved', feePence: 0, expensesPence: 105, feeChoice: 'declined' });
    const draft = await insertClaim(db, ben!, { status: 'submitted', feePence: 5000 });
    const sum = [a1, a2, b1, e1].reduce((s, c) => s + c.totalPence, 0);

    const home = await finance.get('/admin/finance');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('4 approved claims, £1,052.40 in all, are waiting to be sent to finance.');
    const res = await finance.submit('/admin/finance', '/admin/finance/exports', {});
    expect(res.statusCode).toBe(303);
    exportId = Number(/\/admin\/finance\/exports\/(\d+)\?saved=created/.exec(String(res.headers.location))![1]);

    const [e] = await db.select().from(financeExports).where(eq(financeExports.id, exportId));
    expect(e).toMatchObject({ claimCount: 4, totalPence: sum, createdBy: staff.id, paidOn: null });
    const moved = await db
      .select()
      .from(claims)
      .where(inArray(claims.id, [a1.id, a2.id, b1.id, e1.id, draft.id]));
    expect(moved.filter((c) => c.status === 'exported' && c.exportId === exportId)).toHaveLength(4);
    expect(moved.find((c) => c.id === draft.id)).toMatchObject({ status: 'submitted', exportId: null });
    const events = await db
      .select()
      .from(claimEvents)
      .where(and(eq(claimEvents.status, 'exported'), eq(claimEvents.actorUserId, staff.id)));
    expect(events.map((x) => x.claimId).sort()).toEqual([a1.id, a2.id, b1.id, e1.id].sort());
    expect((await actions('finance.export-created'))[0]!.details).toMatchObject({ exportId, claims: 4, totalPence: sum });

    // One email each (written by the queue job the export promised): Ana's names both her claims;
    // Ben's is the single claim's own email.
    const [toAna] = await waitFor(async () =>
      (await mailTo(eve!.email)).length && (await mailTo(ben!.email)).length ? mailTo(ana!.email) : null,
    );
    expect(await mailTo(ana!.email)).toHaveLength(1);
    expect(toAna!.subject).toBe('Your claims are with our finance team');
    expect(toAna!.textBody).toContain(`C${a1.id}, C${a2.id}`);
    expect(toAna!.textBody).toContain('£51.35');
    const toBen = await mailTo(ben!.email);
    expect(toBen.map((m) => m.subject)).toEqual(['Your claim for Conference talk is with our finance team']);
    // The job run again (a retry) emails nobody a second time.
    expect(await tellPeople(app.featureContext, { exportId, status: 'exported' })).toBe(0);
    expect(await mailTo(ana!.email)).toHaveLength(1);

    const page = await finance.get(`/admin/finance/exports/${exportId}?saved=created`);
    expect(page.body).toContain('4 claims, £1,052.40 in all');
    const list = await finance.get('/admin/finance');
    expect(list.body).toContain('There are no approved claims waiting to be sent.');
    expect(list.body).toContain(`Export ${exportId}`);
    expect(list.body).toContain('Not yet paid');
  });

  it("writes a CSV whose total is the claims' sum to the penny, in the chosen column order, formulas neutralised", async () => {
    const res = await finance.get(`/admin/finance/exports/${exportId}.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(`attachment; filename="finance-export-${exportId}.csv"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const rows = parseCsv(res.body).map((r) => r.fields);
    expect(rows[0]).toEqual([
      'Claim',
      'Payee reference',
      'Name',
      'Activity',
      'Activity date',
      'Fee choice',
      'Fee',
      'Expenses',
      'Total',
      'Approved on',
      'Approved by',
    ]);
    const lines = rows.slice(1, -1);
    expect(lines).toHaveLength(4);
    const inDb = await db.select().from(claims).where(eq(claims.exportId, exportId));
    const pence = (pounds: string) => Number(pounds.replace('.', ''));
    expect(lines.reduce((s, l) => s + pence(l[8]!), 0)).toBe(inDb.reduce((s, c) => s + c.totalPence, 0));
    const totals = rows.at(-1)!;
    expect(totals[0]).toBe('Total (4 claims)');
    expect(totals.slice(6, 9)).toEqual([
      penceToPounds(1234 + 3333 + 99_999),
      penceToPounds(567 + 1 + 1 + 105),
      penceToPounds(inDb.reduce((s, c) => s + c.totalPence, 0)),
    ]);
    expect(totals[8]).toBe('1052.40');
    expect(lines.find((l) => l[6] === '999.99')![8]).toBe('1000.00');
    expect(lines.find((l) => l[2]!.includes('HYPERLINK'))![2]).toBe(`'=HYPERLINK("http://x")`);
    expect(lines.find((l) => l[2]!.includes('HYPERLINK'))![5]).toBe('No fee');
    expect(await actions('finance.export-downloaded')).toHaveLength(1);

    await services.paymentSettings.update({ ...(await services.paymentSettings.get()), exportColumns: ['total', 'claim', 'payee'] });
    const reordered = parseCsv((await finance.get(`/admin/finance/exports/${exportId}.csv`)).body).map((r) => r.fields);
    expect(reordered[0]).toEqual(['Total', 'Claim', 'Payee reference']);
    expect(reordered.at(-1)).toEqual(['1052.40', 'Total (4 claims)', '']);
    expect(await actions('finance.export-downloaded')).toHaveLength(2);
  });

  it('refuses an empty export and an unknown one', async () => {
    const res = await finance.submit('/admin/finance', '/admin/finance/exports', {});
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('There are no approved claims to send. Nothing has changed.');
    expect(await db.select().from(financeExports)).toHaveLength(1);
    expect((await finance.get('/admin/finance/exports/999999.csv')).statusCode).toBe(404);
    expect((await finance.get('/admin/finance/exports/nope')).statusCode).toBe(404);
  });

  it('marks the whole export paid on a real date, once, and tells each person', async () => {
    const page = `/admin/finance/exports/${exportId}`;
    const action = `${page}/paid`;
    const future = await finance.submit(page, action, dateFields(daysFromToday(1)));
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('The date paid must be today or in the past');
    const before = await finance.submit(page, action, dateFields(daysFromToday(-1)));
    expect(before.statusCode).toBe(400);
    expect(before.body).toContain('The date paid must be on or after the day the export was created');
    expect((await finance.submit(page, action, {})).body).toContain('Enter the date paid');
    expect(await db.select().from(claims).where(eq(claims.status, 'paid'))).toHaveLength(0);

    const today = todayInLondon();
    const res = await finance.submit(page, action, { ...dateFields(today), paymentReference: 'BACS run 42' });
    expect(res.statusCode).toBe(303);
    const paid = await db.select().from(claims).where(eq(claims.exportId, exportId));
    expect(paid.every((c) => c.status === 'paid' && c.paidOn === today && c.paymentReference === 'BACS run 42')).toBe(true);
    expect(await db.select().from(claimEvents).where(eq(claimEvents.status, 'paid'))).toHaveLength(4);
    const [audit] = await actions('finance.export-paid');
    expect(audit!.details).toMatchObject({ exportId, claims: 4, paidOn: today, paymentReference: 'BACS run 42' });
    await waitFor(async () => (await mailTo(ana!.email)).length === 2 && (await mailTo(ben!.email)).length === 2);
    expect((await mailTo(ana!.email)).map((m) => m.subject)).toContain('We have paid your claims');
    expect((await mailTo(ben!.email)).map((m) => m.subject)).toContain('We have paid your claim for Conference talk');

    const again = await finance.post(action, {
      ...dateFields(today),
      _csrf: /name="_csrf" value="([^"]+)"/.exec((await finance.get(page)).body)![1]!,
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This export is already marked paid. Nothing has changed.');
    expect(await actions('finance.export-paid')).toHaveLength(1);
    expect((await finance.get('/admin/finance')).body).toContain('Paid');
  });

  it('never puts a claim in two exports started at the same moment', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => insertContributor(db, `Racer ${i}`)));
    for (let i = 0; i < 60; i++) await insertClaim(db, people[i % 6]!, { status: 'approved', feePence: 100 + i });
    const me = { id: staff.id, name: 'Finance', email: staff.email, role: 'finance', jobTitle: null } satisfies CurrentUser;
    const results = await Promise.all([
      services.finance.createExport(me),
      services.finance.createExport(me),
      services.finance.createExport(me),
    ]);
    const made = results.flatMap((r) => (r.ok ? [r.value] : []));
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.reduce((s, e) => s + e.claimCount, 0)).toBe(60);
    const taken = await db.select().from(claims).where(eq(claims.status, 'exported'));
    expect(taken).toHaveLength(60);
    for (const e of made) expect(taken.filter((c) => c.exportId === e.id)).toHaveLength(e.claimCount);
    const events = await db
      .select()
      .from(claimEvents)
      .where(
        inArray(
          claimEvents.claimId,
          taken.map((c) => c.id),
        ),
      );
    expect(events).toHaveLength(60);
  });
});
