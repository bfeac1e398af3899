import type { Db, Tx } from '#src/db/client.ts';
import { isLang } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CollatedComment } from './responses-repository.ts';
import type { ReviewerRow, ReviewRow } from './reviews-repository.ts';

const E = 'reviewResponses.email';

// Whether a response has reached its reviewer: written (or last changed) no later than the last
// email that told them about their responses.
export const responseSent = (response: { respondedAt: Date } | null, reviewer: Pick<ReviewerRow, 'responseSentAt'> | null) =>
  !!response && !!reviewer?.responseSentAt && response.respondedAt.getTime() <= reviewer.responseSentAt.getTime();

// Who is owed an email now: each submitted reviewer with a response they have not been told of
// (new, or changed since the last email), with the time of their latest response.
export function reviewersAwaitingResponse(reviewers: ReviewerRow[], comments: CollatedComment[]) {
  const latest = new Map<number, Date>();
  for (const c of comments) {
    if (c.reviewerId === null || !c.response) continue;
    const was = latest.get(c.reviewerId);
    if (!was || c.response.respondedAt > was) latest.set(c.reviewerId, c.response.respondedAt);
  }
  return reviewers.flatMap((r) => {
    const at = latest.get(r.id);
    if (r.state !== 'submitted' || !at) return [];
    if (r.responseSentAt && at.getTime() <= r.responseSentAt.getTime()) return [];
    return [{ reviewer: r, latest: at }];
  });
}

// The email telling a reviewer their comments have been answered, in the language stored on their
// invitation, enqueued in the caller's transaction.
export function createResponseEmails(ctx: Pick<FeatureContext, 'services' | 'config' | 'i18n'>) {
  return {
    async send(tx: Db | Tx, review: ReviewRow, reviewer: ReviewerRow, person: { name: string; email: string }, latest: Date) {
      const org = await ctx.services.settings.get();
      const tr = ctx.i18n.translator(isLang(reviewer.language) ? reviewer.language : 'en');
      const again = !!reviewer.responseSentAt;
      await ctx.services.mail.enqueue(
        {
          to: person.email,
          lang: tr.lang,
          subject: tr.t(`${E}.subject`, { title: review.title }),
          heading: tr.t(`${E}.heading`),
          paragraphs: [
            tr.t(`${E}.dear`, { name: person.name }),
            tr.t(`${E}.text`, { title: review.title }),
            ...(again ? [tr.t(`${E}.again`)] : []),
          ],
          action: {
            text: tr.t(`${E}.action`),
            href: `${ctx.config.baseUrl}/profile/reviews/${review.id}/response${tr.lang === 'cy' ? '?lang=cy' : ''}`,
          },
          footer: [tr.t(`${E}.footer`, { org: org.name })],
        },
        // Keyed by the latest response it tells of: sending twice at once emails once, yet a later
        // change is told.
        { key: `review-response-${reviewer.id}-${latest.getTime()}`, kind: 'review-response', tx },
      );
    },
  };
}
