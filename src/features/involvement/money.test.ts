import { describe, expect, it } from 'vitest';
import { divideRoundingHalfUp, feeFor, parsePounds, penceToPounds, rateOn, taxYearBounds, taxYearOf } from './money.ts';

describe('money in pence', () => {
  it('reads amounts people type into whole pence, and refuses the rest', () => {
    expect(['12.50', '£7', '1,200.5', '0.05', ' 3 '].map(parsePounds)).toEqual([1250, 700, 120050, 5, 300]);
    expect(['-1', '1.234', 'ten', '', '1e3', '10000.01', '12,50'].map(parsePounds)).toEqual([null, null, null, null, null, null, null]);
    expect(parsePounds('10000')).toBe(1_000_000);
    expect([0, 5, 1250, 120050].map(penceToPounds)).toEqual(['0.00', '0.05', '12.50', '1200.50']);
  });

  it('rounds once, half up, to the penny', () => {
    expect([divideRoundingHalfUp(5, 2), divideRoundingHalfUp(7, 3), divideRoundingHalfUp(8, 3), divideRoundingHalfUp(0, 60)]).toEqual([
      3, 2, 3, 0,
    ]);
    // £25 an hour for 2 h 30: £62.50 exactly; for 50 minutes: 2083.33… → £20.83; for 1 minute 41.67 → 42p.
    expect(feeFor('hour', 2500, 150, 1)).toEqual({ quantity: 150, pence: 6250 });
    expect(feeFor('hour', 2500, 50, 1)).toEqual({ quantity: 50, pence: 2083 });
    expect(feeFor('hour', 2500, 1, 1)).toEqual({ quantity: 1, pence: 42 });
    // £75 a half day, twice.
    expect(feeFor('half-day', 7500, 240, 2)).toEqual({ quantity: 2, pence: 15000 });
  });

  it('knows the UK tax year runs from 6 April to 5 April', () => {
    expect(['2026-04-05', '2026-04-06', '2027-01-01', '2099-12-31'].map(taxYearOf)).toEqual(['2025-26', '2026-27', '2026-27', '2099-00']);
    expect(taxYearBounds('2026-27')).toEqual({ from: '2026-04-06', to: '2027-04-05' });
  });

  it('prices a day by the rate in force on it', () => {
    const card = [
      { kind: 'meeting', effectiveFrom: '2025-04-01', amountPence: 2000 },
      { kind: 'meeting', effectiveFrom: '2026-04-01', amountPence: 2500 },
      { kind: 'mileage', effectiveFrom: '2011-04-06', amountPence: 45 },
    ];
    expect(rateOn(card, 'meeting', '2026-03-31')?.amountPence).toBe(2000);
    expect(rateOn(card, 'meeting', '2026-04-01')?.amountPence).toBe(2500);
    expect(rateOn(card, 'meeting', '2024-01-01')).toBeNull();
    expect(rateOn(card, 'workshop', '2026-06-01')).toBeNull();
  });
});
