import type { Db } from '#src/db/client.ts';
import { validateForm } from '#src/lib/forms.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { createReviewingRepository } from './reviewing-repository.ts';
import { RequestSchema, type RequestForm } from './reviewing-schema.ts';
import type { Opened, SaveOutcome } from './reviewing-state.ts';

const E = 'reviewing.emails.request';

// A reviewer asking for the document in another format, or for more time: a row staff see on the
// review's staff page (there is no staff address list to email), audited, and confirmed to them by
// email. Asked before accepting too (someone may need large print to decide), never after sending.
export function createRequestsService(db: Db, ctx: FeatureContext) {
  const repo = createReviewingRepository(db);
  const { services, config, i18n } = ctx;
  // Staff read requests in English, whatever language the reviewer asked in.
  const en = i18n.translator('en');

  function detailOf(v: RequestForm): string {
    const lines =
      v.kind === 'format'
        ? [en.t('reviewing.request.detail.format', { format: en.t(`reviewing.request.formats.${v.format}`) })]
        : [en.t('reviewing.request.detail.howMuch', { howMuch: v.howMuch })];
    if (v.formatDetail && v.kind === 'format') lines.push(en.t('reviewing.request.detail.note', { note: v.formatDetail }));
    if (v.why) lines.push(en.t('reviewing.request.detail.why', { why: v.why }));
    return lines.join('\n');
  }

  async function request(o: Opened, form: unknown): Promise<SaveOutcome> {
    if (o.reviewer.state === 'submitted') return { kind: 'refused', why: 'submitted' };
    if (o.review.state !== 'open') return { kind: 'refused', why: 'closed' };
    const v = validateForm(RequestSchema, form);
    if (!v.ok) return { kind: 'invalid', errors: v.errors };
    const person = await services.identity.findAccountById(o.reviewer.userId);
    await db.transaction(async (tx) => {
      const saved = await repo.addRequest({ reviewerId: o.reviewer.id, kind: v.value.kind, detail: detailOf(v.value) }, tx);
      await services.audit.record(
        {
          actorUserId: o.reviewer.userId,
          subjectUserId: o.reviewer.userId,
          action: 'review.request-made',
          details: { reviewId: o.review.id, requestId: saved.id, kind: saved.kind },
        },
        tx,
      );
      if (!person) return;
      const tr = i18n.translator(o.reviewer.language);
      const org = await services.settings.get();
      await services.mail.enqueue(
        {
          to: person.email,
          lang: tr.lang,
          subject: tr.t(`${E}.subject`, { title: o.review.title }),
          heading: tr.t(`${E}.heading`),
          paragraphs: [tr.t(`${E}.dear`, { name: person.name }), tr.t(`${E}.${saved.kind}`, { title: o.review.title }), tr.t(`${E}.next`)],
          action: {
            text: tr.t(`${E}.action`),
            href: `${config.baseUrl}/profile/reviews/${o.review.id}${tr.lang === 'cy' ? '?lang=cy' : ''}`,
          },
          footer: [tr.t(`${E}.footer`, { org: org.name })],
        },
        { key: `review-request-${saved.id}`, kind: 'review-request', tx },
      );
    });
    return { kind: 'saved', value: undefined };
  }

  return { request };
}
