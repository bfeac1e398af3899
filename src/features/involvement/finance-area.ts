import type { FeatureArea } from '#src/platform/feature.ts';
import { canSeeFinance } from '#src/platform/identity/roles.ts';
import { createBankDetailsService, type BankDetailsService } from './bank-details.ts';
import bankDetailsRoutes from './bank-details-routes.ts';
import { startTellingPeople } from './finance-emails.ts';
import { eraseExpiredFinancialRecords, eraseFinancialData, payeeExportFor } from './finance-data.ts';
import { createPaymentEvidence } from './evidence-service.ts';
import { createFinanceReports, type FinanceReports } from './finance-reports.ts';
import financeReportsRoutes from './finance-reports-routes.ts';
import financeRoutes from './finance-routes.ts';
import { createFinanceService, type FinanceService } from './finance-service.ts';
import { createFinanceSettingsService, type FinanceSettingsService } from './finance-settings.ts';
import financeSettingsRoutes from './finance-settings-routes.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    finance: FinanceService;
    financeReports: FinanceReports;
    financeSettings: FinanceSettingsService;
    bankDetails: BankDetailsService;
  }
}

// Finance: exports of approved claims, marking them paid, bank details, totals per tax year,
// reports, and what is kept for the accounts when a person deletes their account (README
// "Involvement, fees and expenses").
export const financeArea: FeatureArea = {
  services: (ctx) => ({
    finance: createFinanceService(ctx.db, ctx),
    financeReports: createFinanceReports(ctx.db),
    paymentEvidence: createPaymentEvidence(ctx.db),
    financeSettings: createFinanceSettingsService(ctx.db, ctx),
    bankDetails: createBankDetailsService(ctx.db, ctx),
  }),
  // Loaded before the first request: an account's deletion reads the keeping period inside its
  // transaction, where (on PGlite's one connection) a first read from the database would wait forever.
  async ready({ services }) {
    await services.paymentSettings.get();
  },
  jobs: { start: (ctx) => startTellingPeople(ctx) },
  async routes(app) {
    // Separate plugins so each guard covers only its own routes.
    await app.register(financeRoutes);
    await app.register(financeReportsRoutes);
    await app.register(financeSettingsRoutes);
    await app.register(bankDetailsRoutes);
  },
  adminLinks: [
    {
      href: '/admin/finance',
      order: 39,
      text: 'finance.nav.admin.text',
      description: 'finance.nav.admin.description',
      financeOnly: true,
    },
  ],
  async adminSummary({ services }, user) {
    if (!canSeeFinance(user)) return [];
    const [waiting, unpaid] = await Promise.all([services.finance.waitingTotals(), services.finance.unpaidExportCount()]);
    return [
      { text: 'finance.nav.admin.toExport', href: '/admin/finance', count: waiting.count },
      { text: 'finance.nav.admin.toMarkPaid', href: '/admin/finance#exports', count: unpaid },
    ];
  },
  retention: [
    {
      kind: 'financial-records',
      name: 'claims kept for the accounts after an account was deleted, once their keeping period has passed',
      run: (ctx, now) => eraseExpiredFinancialRecords(ctx, now),
    },
  ],
  auditActions: {
    'finance.export-created': 'Finance staff sent the approved claims to finance in an export (each person was told)',
    'finance.export-downloaded': "Finance staff downloaded an export's CSV (names and amounts paid)",
    'finance.export-paid': 'Finance staff marked an export paid (each person was told)',
    'claim.receipt-viewed': "Finance staff looked at a receipt attached to someone's claim",
    'finance.bank-details-viewed': "Finance staff looked at a person's bank details",
    'finance.bank-details-saved': 'A contributor gave or changed their bank details (stored encrypted)',
    'finance.bank-details-removed': 'A contributor removed their bank details',
    'finance.settings-changed': 'An admin changed the payments settings',
  },
  personalData: {
    async export({ db, services }, userId) {
      return payeeExportFor(db, userId, await services.bankDetails.summaryOf(userId));
    },
    // For the whole involvement feature (records and declarations go by cascade).
    erase: (ctx, subject, tx) => eraseFinancialData(ctx, subject, tx),
  },
};
