import type { SettingsService } from '#src/platform/settings/service.ts';

// How the organisation pays people, kept with the settings under its own key and edited by
// admins on the rate card page.
export const financeColumns = [
  'claim',
  'payee',
  'name',
  'activity',
  'activityDate',
  'feeChoice',
  'fee',
  'expenses',
  'total',
  'approvedOn',
  'approvedBy',
] as const;
export type FinanceColumn = (typeof financeColumns)[number];

export type PaymentSettings = {
  // Years a claim is kept for the accounts after its person deletes their account.
  retentionYears: number;
  // Warn staff (and the person) when their payments in one tax year pass this many pence; null: off.
  yearWarningPence: number | null;
  // Whether to ask for bank details (needs BANK_DETAILS_KEY); off by default.
  collectBankDetails: boolean;
  // The finance CSV's columns, in order.
  exportColumns: FinanceColumn[];
  // The most miles one claim may include.
  maxMiles: number;
};

export const defaultPaymentSettings: PaymentSettings = {
  retentionYears: 6,
  yearWarningPence: null,
  collectBankDetails: false,
  exportColumns: [...financeColumns],
  maxMiles: 500,
};

export function createPaymentSettings(settings: SettingsService) {
  return settings.document<PaymentSettings>('payments', (saved) => ({
    ...defaultPaymentSettings,
    ...((saved as Partial<PaymentSettings> | null) ?? {}),
  }));
}
export type PaymentSettingsDocument = ReturnType<typeof createPaymentSettings>;
