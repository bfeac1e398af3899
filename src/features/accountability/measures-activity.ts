import type { MeasureComputer } from './measures-types.ts';
import { count, days, measureFrom, percent, percentOf } from './measures-figures.ts';

// Evidence from meetings, payments and reviews, each through the owning feature's service.

export const activityMeasures: Record<
  'meetings.access-requests-arranged' | 'payments.days-to-pay' | 'reviews.comments-answered',
  MeasureComputer
> = {
  'meetings.access-requests-arranged': measureFrom(
    'meetings.access-requests-arranged',
    'access-requests-arranged',
    ({ services }, period) => services.meetingEvidence.accessRequestsArranged(period),
    (r) => [count('accessRequests', r.requests), percent('arrangedBefore', percentOf(r.arrangedBefore, r.requests))],
    (r) => r.requests,
  ),
  'payments.days-to-pay': measureFrom(
    'payments.days-to-pay',
    'days-to-pay',
    ({ services }, period) => services.paymentEvidence.daysToPay(period),
    (r) => [count('claimsPaid', r.claims), days('medianDaysToPay', r.medianDays)],
    (r) => r.claims,
  ),
  'reviews.comments-answered': measureFrom(
    'reviews.comments-answered',
    'comments-answered',
    ({ services }, period) => services.reviewEvidence.commentsAnswered(period),
    (r) => [count('reviewComments', r.comments), percent('answered', percentOf(r.answered, r.comments))],
    (r) => r.comments,
  ),
};
