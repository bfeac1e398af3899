import { hasControlCharacters } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';
import { parsePounds, penceToPounds, rateOn } from './money.ts';
import { MAX_RECEIPT_BYTES, sniffReceipt, type ReceiptKind } from './receipt-type.ts';
import { expenseKinds, feeChoices, type ExpenseKind, type FeeChoice } from './tables.ts';
import type { ExpenseRow } from './claims-repository.ts';

const V = 'claims.validation';
export const MAX_EXPENSE_ROWS = 6;
// One line over this is a typing mistake (£1,000).
export const MAX_LINE_PENCE = 100_000;
// Meals and other costs need a receipt over this (£10); these kinds always do.
export const RECEIPT_OVER_PENCE = 1_000;
export const alwaysNeedReceipt: ExpenseKind[] = ['public-transport', 'parking', 'overnight', 'care'];

// The file as the upload route reads it (an empty part when nothing was chosen).
export type UploadedReceipt = { filename: string; data: Buffer; truncated: boolean };
export type RateLike = { id: number; kind: string; unit: string; amountPence: number; effectiveFrom: string };

// A receipt kept from the saved claim, or a new file to store.
export type ReceiptChoice = { kind: 'kept'; from: ExpenseRow } | { kind: 'new'; data: Buffer; type: ReceiptKind; name: string } | null;

export type ExpenseLine = {
  kind: ExpenseKind;
  description: string;
  miles: number | null;
  rateId: number | null;
  amountPence: number;
  receipt: ReceiptChoice;
};

// What the form shows again: each row as typed, with the receipt already stored (if any).
export type RowValues = {
  kind: string;
  description: string;
  amount: string;
  miles: string;
  keep: string;
  receiptName: string | null;
};

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const isUpload = (v: unknown): v is UploadedReceipt => !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedReceipt).data);

// The name people download it as: what they called it, with the extension it really has.
function receiptName(filename: string, ext: string) {
  const base =
    (filename || 'receipt')
      .replace(/\.[^.]*$/, '')
      .replace(/[^\p{L}\p{N} ._-]/gu, '')
      .slice(0, 100) || 'receipt';
  return `${base}.${ext}`;
}

export const rowsFromExpenses = (expenses: ExpenseRow[]): RowValues[] =>
  expenses.map((e) => ({
    kind: e.kind,
    description: e.description,
    amount: e.kind === 'mileage' ? '' : penceToPounds(e.amountPence),
    miles: e.miles === null ? '' : String(e.miles),
    keep: String(e.id),
    receiptName: e.receiptName,
  }));

export const readFeeChoice = (v: unknown): FeeChoice | null =>
  (feeChoices as readonly string[]).includes(text(v)) ? (text(v) as FeeChoice) : null;

type Context = { saved: ExpenseRow[]; rates: RateLike[]; activityOn: string; maxMiles: number };

// One row of the form: nothing typed is no row; otherwise every field is checked and the amount
// computed here (mileage from the rate card on the day of the activity), never taken from the page.
function readRow(body: Record<string, unknown>, i: number, ctx: Context, errors: Record<string, string>) {
  const values: RowValues = {
    kind: text(body[`kind-${i}`]),
    description: text(body[`description-${i}`]),
    amount: text(body[`amount-${i}`]),
    miles: text(body[`miles-${i}`]),
    keep: text(body[`keep-${i}`]),
    receiptName: null,
  };
  const file = body[`receipt-${i}`];
  const upload = isUpload(file) && (file.data.length > 0 || file.truncated) ? file : null;
  const saved = ctx.saved.find((e) => String(e.id) === values.keep && e.receiptKey) ?? null;
  const kept = saved && body[`removeReceipt-${i}`] !== 'yes' ? saved : null;
  values.receiptName = kept?.receiptName ?? null;
  if (!values.kind && !values.description && !values.amount && !values.miles && !upload) return { values, line: null };
  const e = (field: string, key: string, vals?: Record<string, string | number>) => {
    errors[`${field}-${i}`] ??= msg(`${V}.${key}`, { row: i, ...vals });
  };
  if (!(expenseKinds as readonly string[]).includes(values.kind)) e('kind', 'kind');
  const kind = values.kind as ExpenseKind;
  if (values.description.length > 200) e('description', 'description.tooLong', { max: 200 });
  else if (hasControlCharacters(values.description)) e('description', 'description.characters');
  let amountPence = 0;
  let miles: number | null = null;
  let rateId: number | null = null;
  if (kind === 'mileage') {
    const rate = rateOn(ctx.rates, 'mileage', ctx.activityOn);
    if (!/^\d{1,6}$/.test(values.miles)) e('miles', 'miles.whole', { max: ctx.maxMiles });
    else if (Number(values.miles) < 1 || Number(values.miles) > ctx.maxMiles) e('miles', 'miles.range', { max: ctx.maxMiles });
    else if (!rate) e('miles', 'miles.noRate');
    else {
      miles = Number(values.miles);
      rateId = rate.id;
      amountPence = miles * rate.amountPence;
    }
  } else {
    const pence = parsePounds(values.amount);
    if (!values.amount) e('amount', 'amount.missing');
    else if (/^\s*-/.test(values.amount)) e('amount', 'amount.negative');
    else if (pence === null) e('amount', 'amount.format');
    else if (pence === 0) e('amount', 'amount.zero');
    else if (pence > MAX_LINE_PENCE) e('amount', 'amount.tooLarge', { max: (MAX_LINE_PENCE / 100).toLocaleString('en-GB') });
    else amountPence = pence;
  }
  let receipt: ReceiptChoice = kept ? { kind: 'kept', from: kept } : null;
  if (upload) {
    const type = upload.truncated || upload.data.length > MAX_RECEIPT_BYTES ? null : sniffReceipt(upload.data);
    if (upload.truncated || upload.data.length > MAX_RECEIPT_BYTES)
      e('receipt', 'receipt.tooLarge', { max: MAX_RECEIPT_BYTES / 1024 / 1024 });
    else if (!type) e('receipt', 'receipt.type');
    else receipt = { kind: 'new', data: upload.data, type, name: receiptName(upload.filename, type.ext) };
  }
  const needsReceipt = alwaysNeedReceipt.includes(kind) || ((kind === 'meals' || kind === 'other') && amountPence > RECEIPT_OVER_PENCE);
  if (needsReceipt && !receipt) e('receipt', alwaysNeedReceipt.includes(kind) ? 'receipt.needed' : 'receipt.neededOver', { over: 10 });
  const line: ExpenseLine = { kind, description: values.description, miles, rateId, amountPence, receipt };
  return { values, line };
}

// Every row of the form, read and checked. `errors` is empty when all is well.
export function readExpenseRows(body: Record<string, unknown>, ctx: Context) {
  const errors: Record<string, string> = {};
  const rows: RowValues[] = [];
  const lines: ExpenseLine[] = [];
  for (let i = 1; i <= MAX_EXPENSE_ROWS; i++) {
    const { values, line } = readRow(body, i, ctx, errors);
    rows.push(values);
    if (line) lines.push(line);
  }
  return { errors, rows, lines };
}
