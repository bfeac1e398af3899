import type { Translator } from '#src/lib/i18n.ts';
import { regionKey } from '#src/features/profile/schema.ts';
import { termLabel } from '#src/features/profile/service.ts';
import type { MatchReason } from './matching.ts';

type Term = Parameters<typeof termLabel>[0];

// Why an opportunity suits someone, in words: to the person in their alert email ("you"), or to
// staff beside a suggested person. Term labels in the translator's language where there is one.
export function reasonWords(reasons: MatchReason[], terms: Map<number, Term>, tr: Translator, to: 'person' | 'staff'): string[] {
  const K = to === 'person' ? 'opportunity-matches.reasons' : 'opportunity-matches.admin.reasons';
  return reasons.map((r) => {
    switch (r.kind) {
      case 'lived-experience': {
        const labels = r.termIds.flatMap((id) => (terms.has(id) ? [termLabel(terms.get(id)!, tr.lang)] : []));
        return tr.t(`${K}.livedExperience`, { terms: labels.join(', ') });
      }
      case 'interest':
        return tr.t(`${K}.interest`, { interest: tr.t(`profile.options.interests.${r.interest}`).toLowerCase() });
      case 'region':
        return tr.t(`${K}.region`, { region: tr.t(regionKey(r.region)) });
      case 'online':
        return tr.t(`${K}.online`);
    }
  });
}

// Term ids to terms, for reasonWords.
export const termsById = <T extends { id: number }>(terms: T[]) => new Map(terms.map((t) => [t.id, t]));
