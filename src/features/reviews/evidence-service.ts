import { sql } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { reviewComments, reviewResponses, reviewReviewers, reviews } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    reviewEvidence: ReviewEvidence;
  }
}

// What the involvement standards' computed evidence needs from reviews (the accountability
// feature, issue 15): counts over a period of whole UK days, both ends included.
export function createReviewEvidence(db: Db) {
  return {
    // Comments in reviews closed in the period that were sent (a reviewer's submitted review, or
    // one whose reviewer has since gone), and how many got a response.
    async commentsAnswered(days: { from: string; to: string }): Promise<{ comments: number; answered: number }> {
      const [row] = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select count(*)::int as comments, count(${reviewResponses.commentId})::int as answered
          from ${reviewComments}
          join ${reviews} on ${reviews.id} = ${reviewComments.reviewId}
          left join ${reviewReviewers} on ${reviewReviewers.id} = ${reviewComments.reviewerId}
          left join ${reviewResponses} on ${reviewResponses.commentId} = ${reviewComments.id}
          where ${reviews.closedAt} is not null
            and (${reviews.closedAt} at time zone 'Europe/London')::date between ${days.from} and ${days.to}
            and (${reviewComments.reviewerId} is null or ${reviewReviewers.state} = 'submitted')`),
      );
      return { comments: Number(row?.comments ?? 0), answered: Number(row?.answered ?? 0) };
    },
  };
}
export type ReviewEvidence = ReturnType<typeof createReviewEvidence>;
