import type { Lang, Translator } from '#src/lib/i18n.ts';
import { localised } from '#src/lib/localised.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { StandardRow } from './assessing-repository.ts';
import { contributorRatings } from './assessing-schema.ts';
import type { Opened } from './assessing-service.ts';
import { computeMeasures, type Measure } from './evidence-measures.ts';

// What the contributor's page shows of a round: each standard in the page's language, with the
// evidence the platform counts for it, and the person's rating and comment (or what they typed).

// A standard's questions in another language are kept one a line (translations.<lang>.questions).
function questionsIn(s: StandardRow, lang: Lang): string[] {
  const text = lang === 'en' ? '' : s.translations?.[lang]?.questions?.trim();
  return text
    ? text
        .split(/\r?\n/)
        .map((q) => q.trim())
        .filter(Boolean)
    : s.questions;
}

export function localStandard(s: StandardRow, lang: Lang) {
  return { ...localised(s, ['name', 'summary'], lang), questionsShown: questionsIn(s, lang) };
}

// Every standard's measures, computed once for the round's period.
async function measuresByStandard(ctx: FeatureContext, o: Opened): Promise<Map<number, Measure[]>> {
  const keys = [...new Set(o.standards.flatMap((s) => s.measures))];
  const computed = keys.length ? await computeMeasures(ctx, keys, { from: o.round.periodStart, to: o.round.periodEnd }) : [];
  const byKey = new Map(computed.map((m) => [m.key as string, m]));
  return new Map(o.standards.map((s) => [s.id, s.measures.flatMap((k) => byKey.get(k) ?? [])]));
}

// The form's values: what was posted (after an error), else what is saved.
export function savedValues(o: Opened): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, v] of o.views) {
    values[`rating-${id}`] = v.rating ?? 'dont-know';
    values[`comment-${id}`] = v.comment ?? '';
  }
  return values;
}

export async function presentRound(ctx: FeatureContext, tr: Translator, o: Opened, values: Record<string, unknown>) {
  const measures = await measuresByStandard(ctx, o);
  const round = localised(o.round, ['title'], tr.lang);
  return {
    round,
    closeOn: o.round.contributorsCloseOn,
    state: o.state,
    editable: o.state === 'editable',
    standards: o.standards.map((s) => {
      const posted = values[`rating-${s.id}`];
      const rating = contributorRatings.find((r) => r === posted) ?? '';
      return {
        ...localStandard(s, tr.lang),
        measures: measures.get(s.id) ?? [],
        rating,
        ratingText: rating ? tr.t(`assessing.ratings.${rating}`) : '',
        comment: typeof values[`comment-${s.id}`] === 'string' ? (values[`comment-${s.id}`] as string) : '',
        items: contributorRatings.flatMap((r) => [
          ...(r === 'dont-know' ? [{ divider: tr.t('assessing.round.or') }] : []),
          { value: r, text: tr.t(`assessing.ratings.${r}`), checked: rating === r },
        ]),
      };
    }),
  };
}
