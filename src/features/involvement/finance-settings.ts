import type { Db } from '#src/db/client.ts';
import { invalid, ok, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { parsePounds, penceToPounds } from './money.ts';
import { financeColumns, type FinanceColumn, type PaymentSettings } from './settings.ts';

const V = 'finance.admin.validation.settings';
// Columns finance cannot reconcile without: the claim's reference and what to pay.
export const requiredColumns: FinanceColumn[] = ['claim', 'total'];
export const MAX_MILES_LIMIT = 10_000;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const whole = (v: string, min: number, max: number) => (/^\d{1,6}$/.test(v) && +v >= min && +v <= max ? +v : null);

// The form's values for the saved settings: a position for each column in the CSV (blank: left out).
export function settingsForm(s: PaymentSettings): Record<string, string> {
  const values: Record<string, string> = {
    retentionYears: String(s.retentionYears),
    yearWarning: s.yearWarningPence === null ? '' : penceToPounds(s.yearWarningPence),
    collectBankDetails: s.collectBankDetails ? 'yes' : '',
    maxMiles: String(s.maxMiles),
  };
  for (const c of financeColumns) {
    const at = s.exportColumns.indexOf(c);
    values[`position-${c}`] = at < 0 ? '' : String(at + 1);
  }
  return values;
}

// The column order from the numbers typed beside each column: works without JavaScript, and
// numbers need not be consecutive (1, 2, 5 is the order 1, 2, 5).
function readColumns(form: Record<string, unknown>, errors: FieldErrors): FinanceColumn[] {
  const placed: { c: FinanceColumn; at: number }[] = [];
  const seen = new Set<number>();
  for (const c of financeColumns) {
    const raw = text(form[`position-${c}`]);
    if (!raw) {
      if (requiredColumns.includes(c))
        errors[`position-${c}`] = msg(`${V}.position.required`, { column: msg(`finance.admin.columns.${c}`) });
      continue;
    }
    const at = whole(raw, 1, financeColumns.length);
    if (at === null)
      errors[`position-${c}`] = msg(`${V}.position.number`, { column: msg(`finance.admin.columns.${c}`), max: financeColumns.length });
    else if (seen.has(at)) errors[`position-${c}`] = msg(`${V}.position.twice`, { column: msg(`finance.admin.columns.${c}`), at });
    else {
      seen.add(at);
      placed.push({ c, at });
    }
  }
  return placed.sort((a, b) => a.at - b.at).map((p) => p.c);
}

// Payments settings (admins): how long kept claims stay after an account is deleted, the tax-year
// warning, bank details, the CSV's columns and the mileage limit. Audited with what changed.
export function createFinanceSettingsService(db: Db, ctx: FeatureContext) {
  const { audit } = ctx.services;
  return {
    async update(staff: CurrentUser, form: Record<string, unknown>): Promise<Result> {
      const errors: FieldErrors = {};
      const retentionYears = whole(text(form.retentionYears), 1, 20);
      if (retentionYears === null) errors.retentionYears = msg(`${V}.retentionYears`);
      const warningText = text(form.yearWarning);
      const yearWarningPence = warningText ? parsePounds(warningText) : null;
      if (warningText && !yearWarningPence) errors.yearWarning = msg(`${V}.yearWarning`);
      const collectBankDetails = form.collectBankDetails === 'yes';
      if (collectBankDetails && !ctx.config.bankDetailsKey) errors.collectBankDetails = msg(`${V}.noKey`);
      const maxMiles = whole(text(form.maxMiles), 1, MAX_MILES_LIMIT);
      if (maxMiles === null) errors.maxMiles = msg(`${V}.maxMiles`, { max: MAX_MILES_LIMIT });
      const exportColumns = readColumns(form, errors);
      if (Object.keys(errors).length) return invalid(errors);
      const before = await ctx.services.paymentSettings.get();
      const next: PaymentSettings = {
        retentionYears: retentionYears!,
        yearWarningPence,
        collectBankDetails,
        exportColumns,
        maxMiles: maxMiles!,
      };
      const changed = (Object.keys(next) as (keyof PaymentSettings)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]));
      await db.transaction(async (tx) => {
        await ctx.services.paymentSettings.update(next, tx);
        await audit.record({ actorUserId: staff.id, action: 'finance.settings-changed', details: { changed, ...next } }, tx);
      });
      return ok();
    },
  };
}
export type FinanceSettingsService = ReturnType<typeof createFinanceSettingsService>;
