import type { Tx } from '#src/db/client.ts';
import type { Lang, Translator } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { feeFor, rateOn } from '#src/features/involvement/money.ts';
import { utcToLondon } from '#src/features/groups/meetings-time.ts';
import type { ReviewRow } from './reviews-repository.ts';

const E = 'reviewInvitations.email';

export type Invitee = { reviewerId: number; userId: string; email: string; name: string; lang: Lang };
export type Rate = Awaited<ReturnType<FeatureContext['services']['rates']['all']>>[number];

// "4 hours", "1.5 hours": staff's estimate of the time a review takes.
export const hoursText = (tr: Translator, minutes: number) => tr.t(`${E}.hours`, { count: minutes / 60, hours: tr.number(minutes / 60) });

// What we pay for the review, from the rate card in force today (London): the rate times staff's
// estimate for an hourly rate, the rate itself for a task or a day. Null when unpaid or when the
// rate card has no such kind (the email then says nothing about a fee rather than a wrong one).
export function feeOf(review: ReviewRow, rates: Rate[], now = new Date()): { pence: number; hourly: boolean; ratePence: number } | null {
  if (!review.activityKind) return null;
  const rate = rateOn(rates, review.activityKind, utcToLondon(now).date);
  if (!rate || rate.unit === 'mile') return null;
  const fee = feeFor(rate.unit, rate.amountPence, review.estimatedMinutes, 1);
  return { pence: fee.pence, hourly: rate.unit === 'hour', ratePence: rate.amountPence };
}

export function feeSentence(tr: Translator, review: ReviewRow, rates: Rate[]): string {
  const fee = feeOf(review, rates);
  if (!review.activityKind) return tr.t(`${E}.unpaid`);
  if (!fee) return tr.t(`${E}.feeToBeConfirmed`);
  return fee.hourly
    ? tr.t(`${E}.feeHourly`, { amount: tr.money(fee.pence), rate: tr.money(fee.ratePence) })
    : tr.t(`${E}.fee`, { amount: tr.money(fee.pence) });
}

// The brief's first lines, as plain text, to quote in the email (the whole brief is on the page).
export function briefOpening(markdown: string, lines = 3): string {
  const kept = markdown
    .split(/\r?\n/)
    .map((l) =>
      l
        .replace(/^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)/, '')
        .replace(/[*_`]+/g, '')
        .trim(),
    )
    .filter(Boolean);
  return kept.slice(0, lines).join('\n') + (kept.length > lines ? '\n…' : '');
}

// The invitation, in the reviewer's language, with a link to accept and one to decline: the token
// in them is the key (it works signed out), so each email carries a token made for it.
export async function sendInvitation(ctx: FeatureContext, tx: Tx, review: ReviewRow, to: Invitee, token: string, rates: Rate[]) {
  const tr = ctx.i18n.translator(to.lang);
  const base = `${ctx.config.baseUrl}/reviews/invitation/${token}`;
  const suffix = to.lang === 'en' ? '' : `?lang=${to.lang}`;
  const values = { name: to.name, title: review.title, kind: tr.t(`reviewInvitations.kinds.${review.kind}`) };
  const org = await ctx.services.settings.get();
  await ctx.services.mail.enqueue(
    {
      to: to.email,
      lang: tr.lang,
      subject: tr.t(`${E}.subject`, values),
      heading: tr.t(`${E}.heading`),
      paragraphs: [
        tr.t(`${E}.dear`, values),
        tr.t(`${E}.intro`, values),
        tr.t(`${E}.deadline`, { deadline: tr.dateTime(review.deadline) }),
        tr.t(`${E}.time`, { hours: hoursText(tr, review.estimatedMinutes) }),
        feeSentence(tr, review, rates),
        tr.t(`${E}.brief`),
      ],
      quote: briefOpening(review.briefMarkdown),
      action: { text: tr.t(`${E}.accept`), href: `${base}/accept${suffix}` },
      footer: [
        tr.t(`${E}.decline`, { url: `${base}/decline${suffix}` }),
        tr.t(`${E}.signedOut`),
        tr.t('mail.layout.footer', { org: org.name }),
      ],
    },
    { key: `review-invitation-${to.reviewerId}-${token.slice(0, 12)}`, kind: 'review-invitation', tx },
  );
}
