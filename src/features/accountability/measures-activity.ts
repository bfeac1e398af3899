import type { FeatureContext } from '#src/platform/feature.ts';
import type { MeasureComputer, Period } from './measures-types.ts';
import { count, days, measure, notes, percent, percentOf } from './measures-figures.ts';

// Evidence from meetings, payments and reviews, each through the owning feature's service.

async function accessArranged(ctx: FeatureContext, period: Period) {
  const r = await ctx.services.meetingEvidence.accessRequestsArranged(period);
  return measure(
    'meetings.access-requests-arranged',
    'access-requests-arranged',
    [count('accessRequests', r.requests), percent('arrangedBefore', percentOf(r.arrangedBefore, r.requests))],
    r.requests ? {} : { note: notes.nothing },
  );
}

async function daysToPay(ctx: FeatureContext, period: Period) {
  const r = await ctx.services.paymentEvidence.daysToPay(period);
  return measure(
    'payments.days-to-pay',
    'days-to-pay',
    [count('claimsPaid', r.claims), days('medianDaysToPay', r.medianDays)],
    r.claims ? {} : { note: notes.nothing },
  );
}

async function commentsAnswered(ctx: FeatureContext, period: Period) {
  const r = await ctx.services.reviewEvidence.commentsAnswered(period);
  return measure(
    'reviews.comments-answered',
    'comments-answered',
    [count('reviewComments', r.comments), percent('answered', percentOf(r.answered, r.comments))],
    r.comments ? {} : { note: notes.nothing },
  );
}

export const activityMeasures: Record<
  'meetings.access-requests-arranged' | 'payments.days-to-pay' | 'reviews.comments-answered',
  MeasureComputer
> = {
  'meetings.access-requests-arranged': accessArranged,
  'payments.days-to-pay': daysToPay,
  'reviews.comments-answered': commentsAnswered,
};
