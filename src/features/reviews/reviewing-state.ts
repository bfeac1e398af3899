import type { FieldErrors } from '#src/lib/forms.ts';
import type { ReviewerRow, ReviewRow } from './reviews-repository.ts';

// A review as its reviewer opens it: 'reviewer' reads the document; 'invited' sees only the brief,
// the deadline and the choice to accept or decline.
export type Opened = { review: ReviewRow; reviewer: ReviewerRow; access: 'reviewer' | 'invited' };

// Why a change was refused: the review is closed, the reviewer already sent theirs, or they have
// not accepted — each said on the page, nothing changed.
export type Refusal = 'closed' | 'submitted' | 'not-accepted';

// What may still be changed: an accepted reviewer's own review while it is open (late is fine).
export function refusalFor(o: Opened): Refusal | null {
  if (o.reviewer.state === 'submitted') return 'submitted';
  if (o.review.state !== 'open') return 'closed';
  if (o.reviewer.state !== 'accepted') return 'not-accepted';
  return null;
}

// A change's outcome: saved, a mistake to show beside its field, or refused (and why).
export type SaveOutcome<T = void> =
  { kind: 'saved'; value: T } | { kind: 'invalid'; errors: FieldErrors } | { kind: 'refused'; why: Refusal };
