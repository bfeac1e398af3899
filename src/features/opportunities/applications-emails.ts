import type { Config } from '#src/config.ts';
import type { Db, Tx } from '#src/db/client.ts';
import type { I18n } from '#src/lib/i18n.ts';
import { localised } from '#src/lib/localised.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { ApplicationRow, OpportunityRow } from './applications-repository.ts';
import type { Contact, ContactMail } from './contact-mail.ts';

const E = 'applications.emails';
const S = 'applications.admin.emails';

// How many applications to one opportunity on one day (UTC) its contact hears about one by one;
// the rest of that day's come in one digest the next day (docs: README "Opportunities").
export const IMMEDIATE_PER_DAY = 3;

// Emails about applications: the receipt to the applicant (in the language they applied in) and
// the notices to the opportunity's contact (staff: in English). Enqueued in the transaction that
// made the change, keyed so each is sent at most once.
export function createApplicationEmails(deps: {
  mail: MailService;
  settings: SettingsService;
  config: Config;
  i18n: I18n;
  contactMail: ContactMail;
}) {
  const { mail, settings, config, i18n, contactMail } = deps;

  return {
    async received(tx: Db | Tx, to: { email: string; name: string }, o: OpportunityRow, a: ApplicationRow) {
      const org = await settings.get();
      const tr = i18n.translator(a.language);
      const title = localised(o, ['title'], tr.lang).title;
      await mail.enqueue(
        {
          to: to.email,
          lang: tr.lang,
          subject: tr.t(`${E}.received.subject`, { title }),
          heading: tr.t(`${E}.received.heading`),
          paragraphs: [
            tr.t(`${E}.dear`, { name: to.name }),
            tr.t(`${E}.received.thanks`, { title, org: org.name }),
            o.closesAt ? tr.t(`${E}.received.next`, { date: tr.date(o.closesAt) }) : tr.t(`${E}.received.nextNoDate`),
            tr.t(`${E}.received.change`),
          ],
          action: { text: tr.t(`${E}.received.action`), href: `${config.baseUrl}/profile/applications/${a.id}` },
          footer: [tr.t(`${E}.footer`, { org: org.name })],
        },
        { key: `application-received-${a.id}`, kind: 'application-received', tx },
      );
    },

    // One application, while there have been few today. Staff words: English until they have a Welsh version.
    async toContact(tx: Db | Tx, contact: Contact, o: OpportunityRow, a: ApplicationRow) {
      const org = await settings.get();
      await contactMail.send(
        contact,
        (staff) => ({
          subject: staff.t(`${S}.one.subject`, { title: o.title }),
          heading: staff.t(`${S}.one.heading`),
          paragraphs: [staff.t(`${S}.one.text`, { title: o.title }), staff.t(`${S}.one.digest`, { count: IMMEDIATE_PER_DAY })],
          action: { text: staff.t(`${S}.action`), href: `${config.baseUrl}/admin/opportunities/${o.id}/applications` },
          footer: [staff.t(`${S}.footer`, { org: org.name })],
        }),
        { key: `application-contact-${a.id}`, kind: 'application-contact', tx },
      );
    },

    // The rest of a busy day's applications, in one email.
    async digest(contact: Contact, o: OpportunityRow, day: string, total: number) {
      const org = await settings.get();
      await contactMail.send(
        contact,
        (staff) => ({
          subject: staff.t(`${S}.digest.subject`, { title: o.title, count: total }),
          heading: staff.t(`${S}.digest.heading`),
          paragraphs: [
            staff.t(`${S}.digest.text`, { title: o.title, count: total, date: staff.date(new Date(`${day}T12:00:00Z`)) }),
            staff.t(`${S}.digest.told`, { count: IMMEDIATE_PER_DAY, more: total - IMMEDIATE_PER_DAY }),
          ],
          action: { text: staff.t(`${S}.action`), href: `${config.baseUrl}/admin/opportunities/${o.id}/applications` },
          footer: [staff.t(`${S}.footer`, { org: org.name })],
        }),
        { key: `application-digest-${o.id}-${day}`, kind: 'application-digest' },
      );
    },
  };
}
