import type { Tx } from '#src/db/client.ts';
import type { Lang } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { RoundRow } from './assessing-repository.ts';

const E = 'assessing.email';

export const assessmentPath = (slug: string) => `/profile/assessments/${slug}`;

// The invitation to co-assess a round, in the person's language, with the link to their page
// (they sign in to give their view). One per round and person, whatever retries happen.
export async function sendAssessmentInvitation(
  ctx: FeatureContext,
  tx: Tx,
  round: RoundRow,
  closeOn: string,
  to: { userId: string; email: string; name: string; lang: Lang },
) {
  const tr = ctx.i18n.translator(to.lang);
  const org = await ctx.services.settings.get();
  const title = (to.lang !== 'en' && round.translations?.[to.lang]?.title) || round.title;
  const values = { name: to.name, title, org: org.name, date: tr.date(closeOn) };
  await ctx.services.mail.enqueue(
    {
      to: to.email,
      lang: tr.lang,
      subject: tr.t(`${E}.subject`, values),
      heading: tr.t(`${E}.heading`),
      paragraphs: [tr.t(`${E}.dear`, values), tr.t(`${E}.intro`, values), tr.t(`${E}.how`), tr.t(`${E}.closes`, values)],
      action: {
        text: tr.t(`${E}.action`),
        href: `${ctx.config.baseUrl}${assessmentPath(round.slug)}${to.lang === 'en' ? '' : `?lang=${to.lang}`}`,
      },
      footer: [tr.t(`${E}.why`, values), tr.t('mail.layout.footer', { org: org.name })],
    },
    { key: `assessment-invitation-${round.id}-${to.userId}`, kind: 'assessment-invitation', tx },
  );
}
