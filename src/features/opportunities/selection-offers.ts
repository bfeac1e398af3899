import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { Db } from '#src/db/client.ts';
import { invalid, ok, type Result } from '#src/lib/forms.ts';
import { localised } from '#src/lib/localised.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Opportunity } from './matching.ts';
import type { SelectionRepository } from './selection-repository.ts';
import { createContactMail } from './contact-mail.ts';

export const OFFER_DAYS = 7;
const O = 'selection.offer';

// The accept/decline link in a waitlist offer works without signing in: it names the application
// and the moment of the offer, signed, so it cannot be guessed or altered, and a later offer to the
// same person makes an older link useless. It is refused after the offer expires or is answered.
export function createOfferTokens(secret: string) {
  const key = createSecretKey(createHmac('sha256', secret).update('coproduce:waitlist-offer').digest());
  const mac = (id: number, at: number) => createHmac('sha256', key).update(`${id}.${at}`).digest('base64url').slice(0, 32);
  return {
    sign: (applicationId: number, offeredAt: Date) => `${applicationId}.${offeredAt.getTime()}.${mac(applicationId, offeredAt.getTime())}`,
    verify(token: unknown): { applicationId: number; offeredAt: number } | null {
      if (typeof token !== 'string' || token.length > 80) return null;
      const m = /^([1-9]\d{0,9})\.(\d{1,15})\.([A-Za-z0-9_-]{32})$/.exec(token);
      if (!m) return null;
      const applicationId = Number(m[1]);
      const offeredAt = Number(m[2]);
      if (applicationId > 2_147_483_647) return null;
      const same = timingSafeEqual(Buffer.from(mac(applicationId, offeredAt)), Buffer.from(m[3]!));
      return same ? { applicationId, offeredAt } : null;
    },
  };
}

export type OfferState = 'open' | 'accepted' | 'declined' | 'expired' | 'invalid';

// Offering a waiting-list place to the next person (in the order they applied), and their answer.
export function createOffers(
  db: Db,
  ctx: FeatureContext,
  repo: SelectionRepository,
  opportunityOrNotFound: (id: number) => Promise<Opportunity>,
) {
  const { audit, mail, identity } = ctx.services;
  const contactMail = createContactMail(ctx);
  const tokens = createOfferTokens(ctx.config.authSecret);
  const link = (path: string) => `${ctx.config.baseUrl}${path}`;

  // The offer a link points at, and whether it can still be answered.
  async function offerFor(token: unknown, now = new Date()) {
    const signed = tokens.verify(token);
    const found = signed ? await repo.offered(signed.applicationId) : null;
    if (!signed || !found || found.application.offeredAt?.getTime() !== signed.offeredAt) return { state: 'invalid' as const };
    const { application } = found;
    const state: OfferState = application.offerResponse
      ? application.offerResponse
      : application.offerExpiresAt && application.offerExpiresAt <= now
        ? 'expired'
        : application.state === 'withdrawn'
          ? 'invalid'
          : 'open';
    return { state, ...found };
  }

  return {
    // How many are waiting to be offered a place (for the list page's button).
    waitingForOffer: (opportunityId: number) => repo.waitingForOffer(opportunityId),

    async offerNext(actor: CurrentUser, opportunityId: number, now = new Date()): Promise<Result<{ name: string }>> {
      const opportunity = await opportunityOrNotFound(opportunityId);
      const [next] = await repo.waitingForOffer(opportunityId, 1);
      if (!next) return invalid({ offer: msg('selection.admin.offer.nobody') });
      const expiresAt = new Date(now.getTime() + OFFER_DAYS * 24 * 3600_000);
      const token = tokens.sign(next.application.id, now);
      const tr = ctx.i18n.translator(next.application.language);
      const { title } = localised(opportunity, ['title'] as const, tr.lang);
      const values = { name: next.name, title, date: tr.date(expiresAt) };
      await db.transaction(async (tx) => {
        await repo.markOffered(next.application.id, now, expiresAt, tx);
        await mail.enqueue(
          {
            to: next.email,
            lang: tr.lang,
            subject: tr.t(`${O}.email.subject`, values),
            heading: tr.t(`${O}.email.heading`, values),
            paragraphs: [
              tr.t(`${O}.email.p1`, values),
              tr.t(`${O}.email.p2`, values),
              `${tr.t(`${O}.email.accept`)}: ${link(`/opportunity-offers/${token}/accept`)}`,
              `${tr.t(`${O}.email.decline`)}: ${link(`/opportunity-offers/${token}/decline`)}`,
            ],
            action: { text: tr.t(`${O}.email.accept`), href: link(`/opportunity-offers/${token}/accept`) },
          },
          { key: `waitlist-offer-${next.application.id}-${now.getTime()}`, kind: 'waitlist-offer', tx },
        );
        await audit.record(
          {
            actorUserId: actor.id,
            subjectUserId: next.application.userId,
            action: 'application.place-offered',
            details: { opportunity: opportunityId, application: next.application.id },
          },
          tx,
        );
      });
      return ok({ name: next.name });
    },

    offerFor,

    // The person's answer through the emailed link. Accepting makes them selected; declining
    // leaves them on the waiting list with their answer recorded, so the next person can be asked.
    // Either way the opportunity's contact is told, in their language, with who answered.
    async answerOffer(token: unknown, answer: 'accept' | 'decline', now = new Date()) {
      const offer = await offerFor(token, now);
      if (offer.state !== 'open') return offer.state;
      const response = answer === 'accept' ? 'accepted' : 'declined';
      const { application } = offer;
      // Read before the transaction (PGlite has one connection).
      const opportunity = await repo.opportunity(application.opportunityId);
      const contact = opportunity ? await contactMail.contactOf(opportunity, { language: true }) : null;
      const name = (await identity.namesOf([application.userId])).get(application.userId) ?? '';
      await db.transaction(async (tx) => {
        await repo.answerOffer(application.id, response, now, tx);
        await audit.record(
          {
            actorUserId: null,
            subjectUserId: application.userId,
            action: answer === 'accept' ? 'application.offer-accepted' : 'application.offer-declined',
            details: { opportunity: application.opportunityId, application: application.id },
          },
          tx,
        );
        if (!contact || !opportunity) return;
        await contactMail.send(
          contact,
          (tr) => {
            const words = `opportunity-staff.emails.offer${answer === 'accept' ? 'Accepted' : 'Declined'}`;
            const values = { name, title: localised(opportunity, ['title'] as const, tr.lang).title };
            return {
              subject: tr.t(`${words}.subject`, values),
              heading: tr.t(`${words}.heading`, values),
              paragraphs: [tr.t(`${words}.p1`, values), tr.t(`${words}.p2`, values)],
              action: {
                text: tr.t('opportunity-staff.emails.offerAction'),
                href: link(`/admin/opportunities/${opportunity.id}/applications`),
              },
            };
          },
          { key: `offer-answered-${application.id}-${application.offeredAt!.getTime()}`, kind: 'offer-answered', tx },
        );
      });
      return response;
    },
  };
}
