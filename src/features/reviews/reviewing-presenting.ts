import type { Translator } from '#src/lib/i18n.ts';
import { deadlineWords } from './reviewing-words.ts';
import type { Opened } from './reviewing-state.ts';

const savedKinds = ['accepted', 'declined', 'section', 'answers', 'request'] as const;

// A confirmation named in the address (?saved=…) after a change; anything else shows nothing.
export const savedNotice = (tr: Translator, saved: unknown) =>
  savedKinds.find((s) => s === saved) ? tr.t(`reviewing.saved.${saved as string}`) : undefined;

// What every reviewer page shows of a review, in the reader's language.
export function presentReview(tr: Translator, o: Opened, commented = 0) {
  const { review, reviewer } = o;
  const deadline = deadlineWords(tr, review.deadline);
  return {
    id: review.id,
    title: review.title,
    briefHtml: review.briefHtml,
    access: o.access,
    state: reviewer.state,
    closed: review.state === 'closed',
    editable: review.state === 'open' && reviewer.state === 'accepted',
    deadlineBy: deadline.by,
    deadlineLeft: deadline.left,
    deadlinePassed: deadline.passed,
    hasPdf: !!review.documentKey && o.access === 'reviewer',
    documentName: review.documentName,
    sourceUrl: review.sourceUrl,
    submittedOn: reviewer.submittedAt ? tr.dateTime(reviewer.submittedAt) : null,
    lastSavedOn: reviewer.lastSavedAt ? tr.dateTime(reviewer.lastSavedAt) : null,
    commented,
    href: `/profile/reviews/${review.id}`,
  };
}
export type PresentedReview = ReturnType<typeof presentReview>;
