import type { RateUnit } from './tables.ts';

// Money is whole pence, always (never floating point). Amounts people type ("12.50", "£7",
// "1,200.5") are read as text into pence; a fee is computed from the rate card in integers and
// rounded once, half up, to the penny. The same inputs always give the same figure.

// The largest single amount we accept anywhere (£10,000): anything larger is a typing mistake.
export const MAX_AMOUNT_PENCE = 1_000_000;

// "12.50" → 1250; "£7" → 700; "1,200.5" → 120050. Null for anything else (negative, three
// decimal places, words, or over the limit).
export function parsePounds(raw: string): number | null {
  const text = raw
    .trim()
    .replace(/^£/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const pence = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return pence <= MAX_AMOUNT_PENCE ? pence : null;
}

// 1250 → "12.50": for a form field holding an amount.
export const penceToPounds = (pence: number) => `${Math.trunc(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;

// Integer division rounding half up (for non-negative numbers): the one rounding rule.
export const divideRoundingHalfUp = (numerator: number, denominator: number) =>
  Math.floor((2 * numerator + denominator) / (2 * denominator));

// A fee from a rate: an hourly rate is paid for the minutes given (rounded once, half up, to the
// penny); half days, days and tasks are paid per unit.
export function feeFor(unit: RateUnit, amountPence: number, minutes: number, units: number): { quantity: number; pence: number } {
  if (unit === 'hour') return { quantity: minutes, pence: divideRoundingHalfUp(amountPence * minutes, 60) };
  return { quantity: units, pence: amountPence * units };
}

// The UK tax year a date falls in: 6 April to 5 April. '2026-04-05' → '2025-26'; '2026-04-06' → '2026-27'.
export function taxYearOf(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const start = m > 4 || (m === 4 && d >= 6) ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

// The first and last day of a tax year ('2026-27' → 2026-04-06 … 2027-04-05).
export function taxYearBounds(taxYear: string): { from: string; to: string } {
  const start = Number(taxYear.slice(0, 4));
  return { from: `${start}-04-06`, to: `${start + 1}-04-05` };
}

// The rate in force on a day: the row of that kind with the latest start on or before it.
export function rateOn<T extends { kind: string; effectiveFrom: string }>(rates: T[], kind: string, day: string): T | null {
  let best: T | null = null;
  for (const r of rates) if (r.kind === kind && r.effectiveFrom <= day && (!best || r.effectiveFrom > best.effectiveFrom)) best = r;
  return best;
}
