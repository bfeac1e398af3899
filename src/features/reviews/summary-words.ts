import type { Translator } from '#src/lib/i18n.ts';
import type { ResponsesService } from './responses-service.ts';
import { responseOutcomes } from './tables.ts';

const S = 'reviewResponses.summary';
type PublicSummary = NonNullable<Awaited<ReturnType<ResponsesService['publicSummary']>>>;

// The public summary's sentences, in the page's language: how many reviewed, what happened to
// their comments ("12 comments: 7 changed as suggested, …") and whom we thank by name.
export function summarySentences(s: PublicSummary, tr: Translator) {
  const list = (items: string[]) => joinList(items, tr);
  const outcomes = [...responseOutcomes, 'unanswered' as const]
    .filter((o) => s.outcomes[o] > 0)
    .map((o) => tr.t(`${S}.outcomes.${o}`, { count: s.outcomes[o] }));
  const names = list([...s.named, ...(s.others ? [tr.t(`${S}.thanks.otherReviewers`, { count: s.others })] : [])]);
  return {
    reviewersText: tr.t(`${S}.reviewers`, { count: s.reviewerCount }),
    commentsText: s.commentCount ? tr.t(`${S}.comments`, { count: s.commentCount, outcomes: list(outcomes) }) : tr.t(`${S}.noComments`),
    thanksText: s.named.length ? tr.t(`${S}.thanks.named`, { names }) : s.others ? tr.t(`${S}.thanks.others`, { count: s.others }) : null,
  };
}

// "A, B and C" in the page's language (Welsh "a", or "ac" before a vowel), without a serial comma.
export function joinList(items: string[], tr: Translator): string {
  if (items.length < 2) return items.join('');
  const last = items[items.length - 1]!;
  const and = tr.t(/^[aeiouwyâêîôûŵŷ]/i.test(last) ? 'reviewResponses.list.andBeforeVowel' : 'reviewResponses.list.and');
  return `${items.slice(0, -1).join(', ')} ${and} ${last}`;
}
