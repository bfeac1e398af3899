import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { I18n } from '#src/lib/i18n.ts';
import type { OrganisationRow } from './repository.ts';

const E = 'organisations.emails';

// Emails about a registration: to its named contact, in the language they registered in, and to
// the moderation address if there is one (staff: in English). Each is enqueued in the transaction
// that made the change, keyed so it is sent at most once.
export function createOrganisationEmails(deps: { mail: MailService; settings: SettingsService; config: Config; i18n: I18n }) {
  const { mail, settings, config, i18n } = deps;
  const toContact = (o: OrganisationRow) => {
    const tr = i18n.translator(o.language);
    return { tr, t: tr.t, lang: tr.lang, dear: tr.t(`${E}.dear`, { name: o.contactName }) };
  };
  const footer = (o: OrganisationRow, orgName: string) => [i18n.translator(o.language).t(`${E}.footer`, { name: o.name, org: orgName })];

  return {
    async received(tx: Db, o: OrganisationRow) {
      const org = await settings.get();
      const { t, lang, dear } = toContact(o);
      await mail.enqueue(
        {
          to: o.contactEmail,
          lang,
          subject: t(`${E}.received.subject`, { name: o.name }),
          heading: t(`${E}.received.heading`),
          paragraphs: [
            dear,
            t(`${E}.received.thanks`, { name: o.name, org: org.name }),
            t(`${E}.received.next`),
            t(`${E}.received.notYou`),
          ],
          footer: footer(o, org.name),
        },
        { key: `organisation-received-${o.id}`, kind: 'organisation-received', tx },
      );
      if (!org.moderationEmail) return;
      const staff = i18n.translator('en');
      const W = 'organisations.admin.emails.waiting';
      await mail.enqueue(
        {
          to: org.moderationEmail,
          subject: staff.t(`${W}.subject`, { name: o.name }),
          heading: staff.t(`${W}.heading`),
          paragraphs: [staff.t(`${W}.text`, { name: o.name, org: org.name, contact: o.contactName, role: o.contactRole })],
          quote: o.description,
          action: { text: staff.t(`${W}.action`), href: `${config.baseUrl}/admin/organisations/${o.id}` },
          footer: [staff.t(`${W}.footer`, { org: org.name })],
        },
        { key: `organisation-waiting-${o.id}`, kind: 'organisation-waiting', tx },
      );
    },

    async approved(tx: Db, o: OrganisationRow) {
      const org = await settings.get();
      const { t, lang, dear } = toContact(o);
      await mail.enqueue(
        {
          to: o.contactEmail,
          lang,
          subject: t(`${E}.approved.subject`, { name: o.name, org: org.name }),
          heading: t(`${E}.approved.heading`),
          paragraphs: [dear, t(`${E}.approved.listed`, { name: o.name, org: org.name }), t(`${E}.approved.next`)],
          action: { text: t(`${E}.approved.action`), href: `${config.baseUrl}/organisations` },
          footer: footer(o, org.name),
        },
        { key: `organisation-approved-${o.id}`, kind: 'organisation-approved', tx },
      );
    },

    async declined(tx: Db, o: OrganisationRow) {
      const org = await settings.get();
      const { t, lang, dear } = toContact(o);
      await mail.enqueue(
        {
          to: o.contactEmail,
          lang,
          subject: t(`${E}.declined.subject`, { org: org.name }),
          heading: t(`${E}.declined.heading`),
          paragraphs: [dear, t(`${E}.declined.sorry`, { name: o.name }), ...(o.declineReason ? [t(`${E}.declined.reason`)] : [])],
          ...(o.declineReason ? { quote: o.declineReason } : {}),
          footer: footer(o, org.name),
        },
        { key: `organisation-declined-${o.id}`, kind: 'organisation-declined', tx },
      );
    },
  };
}
