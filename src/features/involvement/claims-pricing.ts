import { feeFor, rateOn } from './money.ts';
import type { RateRow } from './claims-making-repository.ts';
import type { RecordRow } from './records-repository.ts';
import type { FeeChoice } from './tables.ts';

// The fee for a record, from the rate card on the day of the activity: an hourly rate pays the
// minutes given, other units pay per unit. No rate for the kind (or no kind): no fee, and the
// person may still claim expenses.
export function feeOfRecord(record: Pick<RecordRow, 'activityKind' | 'occurredOn' | 'minutes' | 'units'>, rates: RateRow[]) {
  const rate = record.activityKind && record.activityKind !== 'mileage' ? rateOn(rates, record.activityKind, record.occurredOn) : null;
  if (!rate) return { rate: null, quantity: 0, pence: 0 };
  const { quantity, pence } = feeFor(rate.unit, rate.amountPence, record.minutes, record.units);
  return { rate, quantity, pence };
}

// What a claim pays for the person's time, by their choice: vouchers are worth the fee; a
// declined fee is nothing. The rate and quantity are kept either way, so the figure can be checked.
export const feePenceFor = (choice: FeeChoice, fullFeePence: number) => (choice === 'declined' ? 0 : fullFeePence);

// Their payment preference on the profile, as the claim form's first answer.
export function defaultFeeChoice(paymentPreference: string | null | undefined): FeeChoice {
  if (paymentPreference === 'vouchers') return 'vouchers';
  if (paymentPreference === 'no-fee') return 'declined';
  return 'fee';
}
