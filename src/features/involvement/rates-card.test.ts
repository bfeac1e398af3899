import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { londonToday, yearsFrom } from './review-dates.ts';
import { insertRate, rawKey } from './review-test-support.ts';
import { rates } from './tables.ts';

const PAGE = '/admin/involvement/rates';

const dateFields = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return { 'effectiveFrom-day': String(Number(d)), 'effectiveFrom-month': String(Number(m)), 'effectiveFrom-year': y! };
};

// The rate card: admins add rows (a change is a new row from a later date), a row in force is
// never removed, a future one may be, and nobody but admins can reach it.
describe('the rate card', async () => {
  const { app, db, services } = await buildTestApp();
  const { browser: admin } = await signedInBrowser(app, 'admin');
  const today = londonToday();
  const rowsOf = (kind: string) => db.select().from(rates).where(eq(rates.kind, kind));
  const add = (fields: Record<string, string>) =>
    admin.submit(PAGE, PAGE, { kind: 'workshop', name: 'Workshop (per day)', unit: 'day', amount: '150', note: '', ...fields });

  it('adds a rate, marks the one in force today, and keeps the history', async () => {
    const first = await add({ ...dateFields(yearsFrom(today, -1)) });
    expect(first.statusCode).toBe(303);
    const next = await add({ amount: '£160.50', ...dateFields(yearsFrom(today, 1)) });
    expect(next.statusCode).toBe(303);
    const rows = await rowsOf('workshop');
    expect(rows.map((r) => r.amountPence).sort()).toEqual([15000, 16050]);
    const page = await admin.get(`${PAGE}?saved=added`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Rate added.');
    expect(page.body).toContain('In force today');
    expect(page.body).toContain('From a future date');
    expect(page.body).toContain('£150.00 a day');
    expect(page.body).toContain('href="https://www.nihr.ac.uk/payment-guidance-researchers-and-professionals"');
    expect(page.body).toContain('45p a mile for the first 10,000 miles');
    expect(page.body).toContain('href="https://www.gov.uk/expenses-and-benefits-business-travel-mileage/rules-for-tax"');
    expect(page.body).not.toMatch(rawKey);
    const audits = await db.select().from(auditEvents).where(eq(auditEvents.action, 'rate.added'));
    expect(audits).toHaveLength(2);
    expect(await services.rates.kinds()).toContainEqual({ kind: 'workshop', name: 'Workshop (per day)', unit: 'day' });
  });

  it('refuses a second rate for the same kind and date, another unit, bad amounts and old dates, changing nothing', async () => {
    const before = (await db.select().from(rates)).length;
    const cases: [Record<string, string>, string][] = [
      [{ ...dateFields(yearsFrom(today, -1)) }, 'This kind already has a rate from that date'],
      [{ unit: 'hour', ...dateFields(yearsFrom(today, 2)) }, 'The kind workshop is paid by the day'],
      [{ amount: '-5', ...dateFields(yearsFrom(today, 2)) }, 'The amount cannot be negative'],
      [{ amount: '1000.01', ...dateFields(yearsFrom(today, 2)) }, 'The amount must be £1,000 or less for one unit'],
      [{ amount: '50000', ...dateFields(yearsFrom(today, 2)) }, 'The amount must be £1,000 or less for one unit'],
      [{ amount: 'lots', ...dateFields(yearsFrom(today, 2)) }, 'Enter the amount in pounds and pence'],
      [{ ...dateFields(yearsFrom(today, -6)) }, 'The date must be within the last 5 years'],
      [{ kind: 'Work Shop', ...dateFields(yearsFrom(today, 2)) }, 'The kind must be lower-case letters'],
      [{ kind: 'mileage', unit: 'hour', ...dateFields(yearsFrom(today, 2)) }, 'Mileage is paid by the mile'],
      [{ kind: 'meeting', unit: 'mile', ...dateFields(yearsFrom(today, 2)) }, 'Only the kind mileage is paid by the mile'],
    ];
    for (const [fields, message] of cases) {
      const res = await add(fields);
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(message);
      expect(res.body).not.toMatch(rawKey);
    }
    expect(await db.select().from(rates)).toHaveLength(before);
  });

  it('takes mileage by the mile', async () => {
    const res = await add({ kind: 'mileage', name: 'Mileage (cars)', unit: 'mile', amount: '0.45', ...dateFields(today) });
    expect(res.statusCode).toBe(303);
    expect((await rowsOf('mileage'))[0]).toMatchObject({ unit: 'mile', amountPence: 45, effectiveFrom: today });
  });

  it('removes a future rate, but never one in force or past', async () => {
    const [future] = (await rowsOf('workshop')).filter((r) => r.effectiveFrom > today);
    const [past] = (await rowsOf('workshop')).filter((r) => r.effectiveFrom <= today);
    const refused = await admin.submit(PAGE, `${PAGE}/${past!.id}/remove`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('cannot be removed');
    const inForceToday = await insertRate(db, { kind: 'review', name: 'Document review', unit: 'task', effectiveFrom: today });
    expect((await admin.submit(PAGE, `${PAGE}/${inForceToday.id}/remove`, {})).statusCode).toBe(409);
    const removed = await admin.submit(PAGE, `${PAGE}/${future!.id}/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect((await rowsOf('workshop')).map((r) => r.id)).toEqual([past!.id]);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, 'rate.removed'));
    expect(audit).toHaveLength(1);
  });

  it('is for admins only', async () => {
    for (const role of ['staff', 'involvement', 'finance'] as const) {
      const { browser } = await signedInBrowser(app, role);
      expect((await browser.get(PAGE)).statusCode, role).toBe(403);
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/admin')).body)?.[1] ?? '';
      const res = await browser.post(PAGE, {
        _csrf: csrf,
        kind: 'sneaky',
        name: 'Sneaky',
        unit: 'day',
        amount: '999',
        ...dateFields(today),
      });
      expect(res.statusCode, role).toBe(403);
    }
    expect(await rowsOf('sneaky')).toHaveLength(0);
  });
});
