import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { loadConfig } from '#src/config.ts';
import { profileFeature } from '#src/features/profile/index.ts';
import { staffAccountsFeature } from '#src/features/staff-accounts/index.ts';
import { groupsFeature } from '#src/features/groups/index.ts';
import { involvementFeature } from './index.ts';
import { feeFor } from './money.ts';
import { claimExpenses, claims, financeExports, involvementRecords, rates } from './tables.ts';

describe('demo involvement, fees and expenses', async () => {
  const { db, services } = await buildTestApp();
  // The seeds this one builds on, in the features' order, then this one twice: nothing is added again.
  const ctx = { db, services, config: loadConfig({ NODE_ENV: 'test' }), log: () => {} };
  for (const feature of [profileFeature, staffAccountsFeature, groupsFeature, involvementFeature, involvementFeature])
    await feature.seed!(ctx);

  it('has an example rate card with a change of rate, and records from the demo meeting and by hand', async () => {
    const card = await db.select().from(rates);
    expect(card.map((r) => r.kind).sort()).toEqual(['meeting', 'meeting', 'mileage', 'review', 'speaking', 'workshop']);
    expect(card.find((r) => r.kind === 'mileage')).toMatchObject({ unit: 'mile', amountPence: 45 });
    const records = await db.select().from(involvementRecords);
    expect(records.filter((r) => r.source === 'meeting')).toHaveLength(5);
    expect(records.filter((r) => r.source === 'manual')).toHaveLength(4);
  });

  it('has claims in every status, one declining the fee and one in vouchers, each reproducible from the rate card', async () => {
    const all = await db.select().from(claims);
    expect(all.map((c) => c.status).sort()).toEqual(['approved', 'draft', 'exported', 'paid', 'paid', 'rejected', 'returned', 'submitted']);
    expect(all.some((c) => c.feeChoice === 'declined' && c.feePence === 0 && c.status === 'paid')).toBe(true);
    expect(all.some((c) => c.feeChoice === 'vouchers' && c.feePence > 0)).toBe(true);
    const card = await db.select().from(rates);
    for (const c of all) {
      const [record] = await db.select().from(involvementRecords).where(eq(involvementRecords.id, c.recordId!));
      const rate = card.find((r) => r.id === c.feeRateId);
      expect(c.feePence).toBe(rate ? feeFor(rate.unit, rate.amountPence, record!.minutes, record!.units).pence : 0);
      const lines = await db.select().from(claimExpenses).where(eq(claimExpenses.claimId, c.id));
      expect(c.expensesPence).toBe(lines.reduce((s, l) => s + l.amountPence, 0));
      for (const l of lines.filter((x) => x.miles)) expect(l.amountPence).toBe(l.miles! * 45);
      for (const l of lines.filter((x) => x.receiptKey))
        expect((await services.storage.get(l.receiptKey!))?.subarray(0, 5).toString()).toBe('%PDF-');
    }
    // Margaret's meeting claim: 2 hours at the £25 rate, 12 miles at 45p and £3.50 parking.
    const margaret = all.find((c) => c.status === 'approved')!;
    expect([margaret.feePence, margaret.expensesPence, margaret.totalPence]).toEqual([5000, 540 + 350, 5890]);
  });

  it('sent two exports to finance, one paid, each adding up to its claims', async () => {
    const exports = await db.select().from(financeExports);
    expect(exports).toHaveLength(2);
    for (const e of exports) {
      const inIt = await db.select().from(claims).where(eq(claims.exportId, e.id));
      expect(e.totalPence).toBe(inIt.reduce((s, c) => s + c.totalPence, 0));
      expect(inIt.every((c) => c.status === (e.paidOn ? 'paid' : 'exported'))).toBe(true);
    }
  });
});
