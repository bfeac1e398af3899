import type { FastifyReply } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { MAX_EXPENSE_ROWS, rowsFromExpenses, type RowValues, type UploadedReceipt } from './claim-form.ts';
import { defaultFeeChoice } from './claims-pricing.ts';
import type { ClaimFormValues, ClaimsService } from './claims-service.ts';
import { MAX_RECEIPT_BYTES } from './receipt-type.ts';
import { expenseKinds, feeChoices } from './tables.ts';

type Form = Awaited<ReturnType<ClaimsService['formFor']>>;

// Past the limit the reader stops and marks the file truncated, so the form can say "too large".
export async function readReceipt(part: MultipartFile): Promise<UploadedReceipt> {
  return { filename: part.filename, data: await part.toBuffer(), truncated: part.file.truncated };
}

export const receiptUploads = {
  maxBytes: MAX_RECEIPT_BYTES + 1,
  maxFiles: MAX_EXPENSE_ROWS,
  maxFields: 80,
  maxFieldBytes: 10_000,
  truncateLargeFiles: true,
  readFile: readReceipt,
};

// The multipart body split into its text fields and its files (receipt-1 … receipt-6).
export function splitUpload(body: unknown) {
  const form: Record<string, unknown> = {};
  const files: Record<string, UploadedReceipt> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (v && typeof v === 'object' && Buffer.isBuffer((v as UploadedReceipt).data)) files[k] = v as UploadedReceipt;
    else form[k] = v;
  }
  return { form: trimmed(form), files };
}

// "2 hr 30 min": time given, for tables and the fee's working; nothing when no time was recorded
// (a task paid per unit).
export const hoursAndMinutes = (tr: Translator, minutes: number) =>
  minutes ? tr.t('claims.time.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 }) : '';

const fieldOrder = [
  'form',
  'feeChoice',
  ...Array.from({ length: MAX_EXPENSE_ROWS }, (_, i) =>
    ['kind', 'description', 'amount', 'miles', 'receipt'].map((f) => `${f}-${i + 1}`),
  ).flat(),
  'benefitsDiscussed',
];

// The claim form, for the person (at /profile/involvement/:id/claim) or staff entering it for them.
export function renderClaimForm(
  reply: FastifyReply,
  f: Form,
  opts: { action: string; back: string; staff: boolean; values?: ClaimFormValues; errors?: FieldErrors; saved?: string | null },
  status = 200,
) {
  const tr = reply.request.tr;
  const { t, money } = tr;
  const saved: RowValues[] = opts.values?.rows ?? rowsFromExpenses(f.expenses);
  const blank: RowValues = { kind: '', description: '', amount: '', miles: '', keep: '', receiptName: null };
  const rows = Array.from({ length: MAX_EXPENSE_ROWS }, (_, i) => saved[i] ?? blank).map((row, i) => ({
    ...row,
    n: i + 1,
    kindItems: [
      { value: '', text: t('claims.form.expense.kind.choose') },
      ...expenseKinds.map((k) => ({ value: k, text: t(`claims.kinds.${k}`), selected: row.kind === k })),
    ],
  }));
  const feeChoice = opts.values?.feeChoice ?? f.claim?.feeChoice ?? defaultFeeChoice(f.person?.paymentPreference);
  const { rate } = f.fee;
  const F = 'claims.form';
  const row = (key: string, text: string) => ({ key: { text: t(`${F}.${key}`) }, value: { text } });
  const activityRows = [
    row('activity', f.record.title),
    row('date', tr.date(new Date(`${f.record.occurredOn}T12:00:00Z`))),
    ...(f.record.groupName ? [row('group', f.record.groupName)] : []),
    row('time', rate?.unit === 'hour' || !rate ? hoursAndMinutes(tr, f.record.minutes) : String(f.record.units)),
    row('rate', rate ? t(`claims.units.${rate.unit}`, { amount: money(rate.amountPence) }) : t(`${F}.noRateShort`)),
    row('fee', money(f.fee.pence)),
  ];
  return reply.render(
    'involvement/views/claims/form.njk',
    {
      pageTitle: msg(opts.staff ? 'claims.admin.form.title' : 'claims.form.title', { title: f.record.title }),
      record: f.record,
      claim: f.claim,
      action: opts.action,
      back: opts.back,
      staff: opts.staff,
      saved: opts.saved ?? null,
      personName: f.personName,
      askBenefitsDiscussed: opts.staff && f.person?.receivesBenefits === 'yes',
      benefitsDiscussed: opts.values?.benefitsDiscussed ?? false,
      activityRows,
      hasRate: !!rate,
      feeText: money(f.fee.pence),
      mileageText: f.mileage ? t('claims.units.mile', { amount: money(f.mileage.amountPence) }) : null,
      maxMiles: f.maxMiles,
      maxMegabytes: MAX_RECEIPT_BYTES / 1024 / 1024,
      feeItems: feeChoices.map((c) => ({ value: c, text: t(`claims.feeChoices.${c}`), checked: feeChoice === c })),
      rows,
      errors: opts.errors ?? {},
      errorList: opts.errors ? errorSummary(opts.errors, fieldOrder) : [],
    },
    status,
  );
}

// Where the form's answer leads: the claim's page, or the questions before a first paid claim.
export function afterSave(base: string, outcome: { claim: { id: number }; next: string }) {
  if (outcome.next === 'before-you-send') return `/profile/claims/${outcome.claim.id}/before-you-send`;
  return `${base}${base.includes('?') ? '&' : '?'}saved=${outcome.next === 'submitted' ? 'sent' : 'draft'}`;
}
