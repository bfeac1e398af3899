import type { Db, Tx } from '#src/db/client.ts';
import { notFound } from '#src/lib/errors.ts';
import { invalid, ok, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { readExpenseRows, readFeeChoice, type ExpenseLine, type RowValues, type UploadedReceipt } from './claim-form.ts';
import { createClaimSteps, editable } from './claim-steps.ts';
import { createClaimsDeclarations } from './claims-declaration.ts';
import { createClaimsMakingRepository } from './claims-making-repository.ts';
import { feeOfRecord, feePenceFor } from './claims-pricing.ts';
import { createClaimsRepository, type ClaimRow, type ExpenseRow, type NewExpense } from './claims-repository.ts';
import { taxYearOf } from './money.ts';
import type { RecordRow } from './records-repository.ts';
import type { FeeChoice } from './tables.ts';

const V = 'claims.validation';
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export type ClaimOutcome = { claim: ClaimRow; next: 'draft' | 'submitted' | 'before-you-send' };
// What the form shows again when something was wrong.
export type ClaimFormValues = { feeChoice: string; rows: RowValues[]; benefitsDiscussed: boolean };
export type SaveResult = { kind: 'saved'; outcome: ClaimOutcome } | { kind: 'invalid'; errors: FieldErrors; values: ClaimFormValues };

const isUniqueViolation = (err: unknown) => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === '23505') return true;
  return false;
};

// Claims people make for their involvement records (or staff make on their behalf): the fee from
// the rate card on the day of the activity, expenses with receipts, totals computed here in pence,
// and sending it on (after the benefits questions, once a tax year, where they apply).
export function createClaimsService(db: Db, ctx: FeatureContext) {
  const shared = createClaimsRepository(db);
  const repo = createClaimsMakingRepository(db);
  const steps = createClaimSteps(db, ctx);
  const declarations = createClaimsDeclarations(db, ctx);
  const { audit, storage, identity, profile } = ctx.services;

  // The record, if it is the person's own (or staff are acting for its person); else no such page.
  async function recordFor(actor: CurrentUser, recordId: number, onBehalf: boolean): Promise<RecordRow> {
    const record = await ctx.services.involvementRecords.byId(recordId);
    if (!record || (!onBehalf && record.userId !== actor.id)) throw notFound('record');
    return record;
  }

  // Everything the form needs: the record, its claim (if any) and what it would pay.
  async function formFor(actor: CurrentUser, recordId: number, onBehalf: boolean) {
    const record = await recordFor(actor, recordId, onBehalf);
    const [claim, rates, person, account, settings] = await Promise.all([
      shared.byRecord(record.id),
      repo.rates(),
      profile.profile(record.userId),
      identity.findAccountById(record.userId),
      ctx.services.paymentSettings.get(),
    ]);
    const expenses = claim ? await shared.expenses(claim.id) : [];
    const fee = feeOfRecord(record, rates);
    const mileage = rates.filter((r) => r.kind === 'mileage' && r.effectiveFrom <= record.occurredOn).at(-1) ?? null;
    return { record, claim, expenses, fee, mileage, person, personName: account?.name ?? '', maxMiles: settings.maxMiles };
  }
  type Form = Awaited<ReturnType<typeof formFor>>;

  function readForm(f: Form, body: Record<string, unknown>, rates: Awaited<ReturnType<typeof repo.rates>>, onBehalf: boolean) {
    const rows = readExpenseRows(body, { saved: f.expenses, rates, activityOn: f.record.occurredOn, maxMiles: f.maxMiles });
    const errors: FieldErrors = { ...rows.errors };
    const feeChoice = readFeeChoice(body.feeChoice);
    if (!feeChoice) errors.feeChoice = msg(`${V}.feeChoice`);
    const sending = text(body.action) === 'send';
    const feePence = feeChoice ? feePenceFor(feeChoice, f.fee.pence) : 0;
    const expensesPence = rows.lines.reduce((sum, l) => sum + l.amountPence, 0);
    if (sending && feeChoice && feePence + expensesPence === 0 && !Object.keys(errors).length) errors.form = msg(`${V}.nothingToClaim`);
    const benefitsDiscussed = body.benefitsDiscussed === 'yes';
    // Staff entering a paid claim for someone on benefits say they went through the advice with them.
    if (onBehalf && sending && feePence > 0 && f.person?.receivesBenefits === 'yes' && !benefitsDiscussed)
      errors.benefitsDiscussed = msg('claims.admin.validation.benefitsDiscussed');
    const values: ClaimFormValues = { feeChoice: text(body.feeChoice), rows: rows.rows, benefitsDiscussed };
    return { errors, values, sending, lines: rows.lines, feeChoice: feeChoice as FeeChoice, feePence, expensesPence };
  }

  // New receipts go to storage before the transaction (and are removed again if it fails).
  async function storeReceipts(lines: ExpenseLine[]) {
    const stored: string[] = [];
    const rows: Omit<NewExpense, 'claimId'>[] = [];
    for (const l of lines) {
      let receipt: Pick<ExpenseRow, 'receiptKey' | 'receiptName' | 'receiptType' | 'receiptBytes'> = {
        receiptKey: null,
        receiptName: null,
        receiptType: null,
        receiptBytes: null,
      };
      if (l.receipt?.kind === 'kept') receipt = l.receipt.from;
      else if (l.receipt?.kind === 'new') {
        const key = storage.newPrivateKey(l.receipt.type.ext);
        await storage.put(key, l.receipt.data, l.receipt.type.contentType);
        stored.push(key);
        receipt = {
          receiptKey: key,
          receiptName: l.receipt.name,
          receiptType: l.receipt.type.contentType,
          receiptBytes: l.receipt.data.length,
        };
      }
      const { receiptKey, receiptName, receiptType, receiptBytes } = receipt;
      rows.push({
        kind: l.kind,
        description: l.description,
        miles: l.miles,
        rateId: l.rateId,
        amountPence: l.amountPence,
        receiptKey,
        receiptName,
        receiptType,
        receiptBytes,
      });
    }
    return { stored, rows };
  }

  async function save(
    actor: CurrentUser,
    f: Form,
    r: ReturnType<typeof readForm>,
    expenseRows: Omit<NewExpense, 'claimId'>[],
    onBehalf: boolean,
    tx: Tx,
  ) {
    const { record } = f;
    const copy = {
      activityTitle: record.title,
      activityKind: record.activityKind,
      activityOn: record.occurredOn,
      groupName: record.groupName,
      leadUserId: record.leadUserId,
      feeChoice: r.feeChoice,
      feeRateId: f.fee.rate?.id ?? null,
      feeQuantity: f.fee.quantity,
      feePence: r.feePence,
      expensesPence: r.expensesPence,
      totalPence: r.feePence + r.expensesPence,
      ...(onBehalf ? { enteredBy: actor.id } : {}),
    };
    let claim: ClaimRow;
    if (f.claim) {
      const locked = await shared.lock(f.claim.id, tx);
      if (!locked || !editable(locked.status)) return null;
      await shared.update(locked.id, copy, tx);
      claim = { ...locked, ...copy };
    } else {
      const payee = await shared.ensurePayee(record.userId, f.personName, tx);
      claim = await repo.insert({ ...copy, recordId: record.id, payeeId: payee.id, userId: record.userId }, tx);
      await shared.addEvent(claim.id, 'draft', actor.id, null, tx);
    }
    await repo.replaceExpenses(claim.id, expenseRows, tx);
    if (onBehalf)
      await audit.record(
        {
          actorUserId: actor.id,
          action: 'claim.entered-for-someone',
          subjectUserId: record.userId,
          details: { claimId: claim.id, recordId: record.id, sent: r.sending, benefitsDiscussed: r.values.benefitsDiscussed },
        },
        tx,
      );
    if (!r.sending) return { claim, next: 'draft' as const };
    if (!onBehalf && (await declarations.needed(record.userId, claim, tx))) return { claim, next: 'before-you-send' as const };
    claim = await steps.move(claim, 'submitted', actor.id, { changes: { submittedAt: new Date() }, audit: 'claim.submitted', tx });
    return { claim, next: 'submitted' as const };
  }

  async function createOrUpdate(
    actor: CurrentUser,
    recordId: number,
    form: Record<string, unknown>,
    files: Record<string, UploadedReceipt>,
    opts: { onBehalf: boolean },
  ): Promise<SaveResult> {
    const f = await formFor(actor, recordId, opts.onBehalf);
    const r = readForm(f, { ...form, ...files }, await repo.rates(), opts.onBehalf);
    const refuse = (key: string) => ({ kind: 'invalid' as const, errors: { form: msg(`${V}.${key}`) }, values: r.values });
    // A form made before a claim existed, posted again: one claim per record.
    if (f.claim && String(f.claim.id) !== text(form.claimId)) return refuse('alreadyClaimed');
    if (f.claim && !editable(f.claim.status)) return refuse('notEditable');
    if (Object.keys(r.errors).length) return { kind: 'invalid', errors: r.errors, values: r.values };
    const { stored, rows } = await storeReceipts(r.lines);
    let outcome: ClaimOutcome | null;
    try {
      outcome = await db.transaction((tx) => save(actor, f, r, rows, opts.onBehalf, tx));
    } catch (err) {
      for (const key of stored) await storage.delete(key);
      if (isUniqueViolation(err)) return refuse('alreadyClaimed');
      throw err;
    }
    if (!outcome) {
      for (const key of stored) await storage.delete(key);
      return refuse('notEditable');
    }
    // Receipts removed or replaced are deleted once the change has committed.
    const kept = new Set(rows.map((e) => e.receiptKey));
    for (const e of f.expenses) if (e.receiptKey && !kept.has(e.receiptKey)) await storage.delete(e.receiptKey);
    return { kind: 'saved', outcome };
  }

  async function byIdForOwner(userId: string, id: number) {
    const claim = await shared.byId(id);
    if (!claim || claim.userId !== userId) return null;
    const [expenses, events] = await Promise.all([shared.expenses(id), shared.events(id)]);
    return { claim, expenses, events };
  }

  return {
    formFor,
    createOrUpdate,
    byIdForOwner,
    forPerson: (userId: string) => shared.ofUser(userId),
    declarationFor: (userId: string, claim: ClaimRow) => declarations.needed(userId, claim),
    confirmAndSend: (user: CurrentUser, claimId: number, form: Record<string, unknown>) => declarations.confirmAndSend(user, claimId, form),

    // A draft is withdrawn by deleting it (and its receipts); anything sent stays for the record.
    async withdraw(user: CurrentUser, id: number): Promise<Result> {
      const found = await byIdForOwner(user.id, id);
      if (!found) throw notFound('claim');
      const done = await db.transaction(async (tx) => {
        const locked = await shared.lock(id, tx);
        if (!locked || locked.status !== 'draft') return false;
        await repo.delete(id, tx);
        await audit.record({ actorUserId: user.id, action: 'claim.withdrawn', subjectUserId: user.id, details: { claimId: id } }, tx);
        return true;
      });
      if (!done) return invalid({ form: msg(`${V}.notWithdrawable`) });
      for (const e of found.expenses) if (e.receiptKey) await storage.delete(e.receiptKey);
      return ok();
    },

    // A receipt, to the claimant only (audited, as every view of a receipt is).
    async receipt(user: CurrentUser, claimId: number, expenseId: number) {
      const claim = await shared.byId(claimId);
      if (!claim || claim.userId !== user.id) return null;
      const expense = await shared.expense(claimId, expenseId);
      const body = expense?.receiptKey ? await storage.get(expense.receiptKey) : null;
      if (!expense || !body) return null;
      await audit.record({
        actorUserId: user.id,
        action: 'claim.receipt-viewed-by-claimant',
        subjectUserId: user.id,
        details: { claimId, expenseId },
      });
      return { expense, body };
    },

    // This tax year's money for the person: paid, and on its way.
    async yearMoney(userId: string, today = new Date()) {
      const taxYear = taxYearOf(today.toISOString().slice(0, 10));
      const payee = await shared.payeeOf(userId);
      const totals = payee
        ? await shared.yearTotals(payee.id, taxYear)
        : { paidFeesPence: 0, paidExpensesPence: 0, onTheWayPence: 0, paidClaims: 0 };
      return { taxYear, ...totals };
    },

    // For "Download my data": each claim with its lines, statuses and dates; receipts named only.
    async exportFor(userId: string) {
      const list = await shared.ofUser(userId);
      const ids = list.map((c) => c.id);
      const [expenses, events] = await Promise.all([repo.expensesOf(ids), repo.eventsOf(ids)]);
      return list.map((c) => ({
        reference: `C${c.id}`,
        activity: c.activityTitle,
        activityDate: c.activityOn,
        group: c.groupName,
        status: c.status,
        feeChoice: c.feeChoice,
        feePence: c.feePence,
        expensesPence: c.expensesPence,
        totalPence: c.totalPence,
        enteredByStaff: !!c.enteredBy && c.enteredBy !== userId,
        submittedAt: c.submittedAt,
        approvedAt: c.approvedAt,
        paidOn: c.paidOn,
        paymentReference: c.paymentReference,
        decisionNote: c.decisionNote,
        expenses: expenses
          .filter((e) => e.claimId === c.id)
          .map((e) => ({ kind: e.kind, description: e.description, miles: e.miles, amountPence: e.amountPence, receipt: e.receiptName })),
        history: events.filter((e) => e.claimId === c.id).map((e) => ({ status: e.status, at: e.at, note: e.note })),
      }));
    },
  };
}
export type ClaimsService = ReturnType<typeof createClaimsService>;
