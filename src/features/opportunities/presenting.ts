import type { Translator } from '#src/lib/i18n.ts';
import { localised } from '#src/lib/localised.ts';
import { regionKey } from '#src/features/profile/schema.ts';
import { termLabel } from '#src/features/profile/service.ts';
import type { OpportunityRow } from './repository.ts';

const O = 'opportunities.options';

// The fields of an opportunity written in each language (the row's own are English).
export const LOCALISED_FIELDS = ['title', 'summary', 'roleHtml', 'involvedHtml'] as const;

type Term = { id: number; label: string; translations: Record<string, Record<string, string>> | null };

// What a page shows of an opportunity in the reader's language: its words (or the English, marked),
// and every option named in the catalogue.
export function presented(o: OpportunityRow, tr: Translator, terms: Term[] = []) {
  const lang = tr.lang;
  const pay = o.paid
    ? o.feePence
      ? tr.t(`opportunities.pay.fee`, { amount: tr.money(o.feePence), unit: tr.t(`${O}.feeUnit.${o.feeUnit ?? 'task'}`) })
      : tr.t('opportunities.pay.paid')
    : tr.t('opportunities.pay.unpaid');
  const byId = new Map(terms.map((t) => [t.id, t]));
  return {
    ...localised(o, LOCALISED_FIELDS, lang),
    typeText: tr.t(`${O}.type.${o.type}`),
    modeText: tr.t(`${O}.mode.${o.mode}`),
    regionText: o.region ? tr.t(regionKey(o.region), { defaultValue: o.region }) : tr.t('opportunities.anywhere'),
    payText: pay,
    expensesTexts: o.expensesCovered.map((e) => tr.t(`${O}.expenses.${e}`)),
    supportTexts: o.support.map((s) => tr.t(`${O}.support.${s}`)),
    soughtTerms: o.soughtTermIds.flatMap((id) => {
      const t = byId.get(id);
      return t ? [termLabel(t as Parameters<typeof termLabel>[0], lang)] : [];
    }),
  };
}

export type PresentedOpportunity = ReturnType<typeof presented>;
