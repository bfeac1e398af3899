import type { Db } from '#src/db/client.ts';
import { readPastDate } from '#src/lib/date-field.ts';
import { hasControlCharacters } from '#src/lib/fields.ts';
import { invalid, ok, type Result } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { createClaimsRepository } from './claims-repository.ts';
import { financeCsv } from './finance-csv.ts';
import { promiseToTellPeople } from './finance-emails.ts';
import { createFinanceRepository, type ExportRow } from './finance-repository.ts';

const V = 'finance.admin.validation';
// How many waiting claims the finance page lists (the count and total cover them all).
export const WAITING_SHOWN = 200;

// Thrown inside the export's transaction when no claim was free to take: rolls back the empty export.
class NothingToExport extends Error {}

const londonDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(d);

// Sending approved claims to finance and marking them paid, a whole export at a time.
export function createFinanceService(db: Db, ctx: FeatureContext) {
  const repo = createFinanceRepository(db);
  const claimsRepo = createClaimsRepository(db);
  const { audit, storage, identity } = ctx.services;

  return {
    waitingTotals: () => repo.waitingTotals(),
    waiting: () => repo.waiting(WAITING_SHOWN),
    exports: () => repo.exports(),
    exportById: (id: number) => repo.exportById(id),
    lines: (exportId: number) => repo.lines(exportId),
    unpaidExportCount: () => repo.unpaidExportCount(),
    payeeById: (id: number) => claimsRepo.payeeById(id),
    yearTotals: (payeeId: number, taxYear: string) => claimsRepo.yearTotals(payeeId, taxYear),
    async claimsOfPayee(payeeId: number) {
      const list = await repo.claimsOfPayee(payeeId);
      const receipts = await repo.receiptsOf(list.map((c) => c.id));
      return list.map((claim) => ({ claim, receipts: receipts.filter((r) => r.claimId === claim.id) }));
    },

    // Every approved claim not yet sent, in one export: each claim 'exported' with its history
    // row, one audit entry, and the promise of one email per person
    // (a queue job: finance-emails.ts), all in one transaction.
    async createExport(staff: CurrentUser): Promise<Result<ExportRow>> {
      try {
        return ok(
          await db.transaction(async (tx) => {
            const made = await repo.newExport(staff.id, tx);
            const taken = await repo.takeWaiting(made.id, tx);
            if (!taken.length) throw new NothingToExport();
            const row = await repo.setExportTotals(made.id, tx);
            await repo.addEvents(made.id, 'exported', staff.id, tx);
            await audit.record(
              {
                actorUserId: staff.id,
                action: 'finance.export-created',
                details: { exportId: row.id, claims: row.claimCount, totalPence: row.totalPence },
              },
              tx,
            );
            await promiseToTellPeople(ctx, tx, { status: 'exported', exportId: row.id });
            return row;
          }),
        );
      } catch (err) {
        if (err instanceof NothingToExport) return invalid({ form: msg(`${V}.nothingToExport`) });
        throw err;
      }
    },

    // The export as a CSV in the organisation's column order; every download is audited.
    async csv(staff: CurrentUser, e: ExportRow, tr: Translator): Promise<string> {
      const [lines, settings] = await Promise.all([repo.lines(e.id), ctx.services.paymentSettings.get()]);
      const approvers = await identity.namesOf(lines.flatMap((l) => (l.claim.approvedBy ? [l.claim.approvedBy] : [])));
      await audit.record({ actorUserId: staff.id, action: 'finance.export-downloaded', details: { exportId: e.id, claims: lines.length } });
      return financeCsv(lines, settings.exportColumns, approvers, tr);
    },

    // Every claim of the export paid on one date (not in the future, not before the export was
    // made), with an optional payment reference; each person told. Refused once already paid.
    async markPaid(staff: CurrentUser, exportId: number, form: Record<string, unknown>): Promise<Result> {
      const e = await repo.exportById(exportId);
      if (!e) return invalid({ form: msg(`${V}.noSuchExport`) });
      if (e.paidOn) return invalid({ form: msg(`${V}.alreadyPaid`) });
      const date = readPastDate(form, 'paidOn', `${V}.paidOn`);
      const reference = typeof form.paymentReference === 'string' ? form.paymentReference.trim() : '';
      const errors: Record<string, string> = {};
      if (!date.ok) errors.paidOn = date.message;
      else if (date.date < londonDay(e.createdAt)) errors.paidOn = msg(`${V}.paidOn.beforeExport`);
      if (reference.length > 100 || hasControlCharacters(reference)) errors.paymentReference = msg(`${V}.paymentReference.tooLong`);
      if (Object.keys(errors).length || !date.ok) return invalid(errors);
      return db.transaction(async (tx) => {
        const locked = await repo.lockExport(e.id, tx);
        // Marked paid by someone else since the page was read.
        if (!locked || locked.paidOn) return invalid({ form: msg(`${V}.alreadyPaid`) });
        await repo.markExportPaid(e.id, date.date, reference || null, staff.id, tx);
        const paid = await repo.payClaimsOf(e.id, date.date, reference || null, tx);
        await repo.addEvents(e.id, 'paid', staff.id, tx);
        await audit.record(
          {
            actorUserId: staff.id,
            action: 'finance.export-paid',
            details: { exportId: e.id, claims: paid.length, paidOn: date.date, paymentReference: reference || null },
          },
          tx,
        );
        await promiseToTellPeople(ctx, tx, { status: 'paid', exportId: e.id });
        return ok();
      });
    },

    // A receipt, for finance: every view audited, about the claimant.
    async receipt(staff: CurrentUser, claimId: number, expenseId: number) {
      const [claim, expense] = await Promise.all([claimsRepo.byId(claimId), claimsRepo.expense(claimId, expenseId)]);
      if (!claim || !expense?.receiptKey) return null;
      const body = await storage.get(expense.receiptKey);
      if (!body) return null;
      await audit.record({
        actorUserId: staff.id,
        action: 'claim.receipt-viewed',
        subjectUserId: claim.userId,
        details: { claimId, expenseId, payeeId: claim.payeeId },
      });
      return {
        body,
        contentType: expense.receiptType ?? 'application/octet-stream',
        fileName: expense.receiptName ?? `receipt-${expenseId}`,
      };
    },
  };
}
export type FinanceService = ReturnType<typeof createFinanceService>;
