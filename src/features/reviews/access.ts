import { canSeeRegister, type CurrentUser } from '#src/platform/identity/roles.ts';
import type { ReviewerRow } from './reviews-repository.ts';

// One rule for who may see a review (ADR 24). A document under review is often embargoed: staff
// who run involvement (admins and involvement staff) see every review; a contributor sees a review
// only while invited to it, and its document only once they have accepted (or submitted); someone
// who declined, anyone else, and anyone signed out are answered 404, as if it did not exist.
export type ReviewAccess = 'staff' | 'reviewer' | 'invited' | 'none';

export function accessTo(user: CurrentUser | null | undefined, reviewer: ReviewerRow | null): ReviewAccess {
  if (!user) return 'none';
  if (canSeeRegister(user)) return 'staff';
  const id: string = (user as CurrentUser).id;
  if (!reviewer || reviewer.userId !== id) return 'none';
  if (reviewer.state === 'accepted' || reviewer.state === 'submitted') return 'reviewer';
  if (reviewer.state === 'invited') return 'invited';
  return 'none';
}

// Whether this access may read the document itself (its sections, its PDF).
export const mayReadDocument = (access: ReviewAccess) => access === 'staff' || access === 'reviewer';
