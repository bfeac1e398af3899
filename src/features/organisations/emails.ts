import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { OrganisationRow } from './repository.ts';

// Emails about a registration: to its named contact, and to the moderation address if there is
// one. Each is enqueued in the transaction that made the change, keyed so it is sent at most once.
export function createOrganisationEmails(deps: { mail: MailService; settings: SettingsService; config: Config }) {
  const { mail, settings, config } = deps;
  const footer = (o: OrganisationRow, orgName: string) => [
    `You are getting this email because you are named as the contact for ${o.name} on the ${orgName} website.`,
  ];

  return {
    async received(tx: Db, o: OrganisationRow) {
      const org = await settings.get();
      await mail.enqueue(
        {
          to: o.contactEmail,
          subject: `We have received ${o.name}’s registration`,
          heading: 'Thank you for registering your interest',
          paragraphs: [
            `Dear ${o.contactName},`,
            `Thank you for registering ${o.name} as a possible partner organisation of ${org.name}. You are named as its contact.`,
            'Our involvement team will look at the registration and email you when they have decided, usually within 10 working days.',
            'If you did not register, or you do not want to be the contact, please tell us and we will delete your details.',
          ],
          footer: footer(o, org.name),
        },
        { key: `organisation-received-${o.id}`, kind: 'organisation-received', tx },
      );
      if (!org.moderationEmail) return;
      await mail.enqueue(
        {
          to: org.moderationEmail,
          subject: `A partner organisation is waiting for approval: ${o.name}`,
          heading: 'A partner organisation is waiting for approval',
          paragraphs: [
            `${o.name} registered its interest in working with ${org.name}. Its contact is ${o.contactName} (${o.contactRole}).`,
          ],
          quote: o.description,
          action: { text: 'Review the registration', href: `${config.baseUrl}/admin/organisations/${o.id}` },
          footer: [`You are getting this email because ${org.name} asked for moderation alerts to go to this address.`],
        },
        { key: `organisation-waiting-${o.id}`, kind: 'organisation-waiting', tx },
      );
    },

    async approved(tx: Db, o: OrganisationRow) {
      const org = await settings.get();
      await mail.enqueue(
        {
          to: o.contactEmail,
          subject: `${o.name} is now a partner organisation of ${org.name}`,
          heading: 'Your registration has been approved',
          paragraphs: [
            `Dear ${o.contactName},`,
            `We are pleased to tell you that ${o.name} is now listed as a partner organisation of ${org.name}.`,
            'Contributors to our network can now say they belong to it, and we will get in touch about ways to work together, such as opportunities to share with your members.',
          ],
          action: { text: 'See the list of partner organisations', href: `${config.baseUrl}/organisations` },
          footer: footer(o, org.name),
        },
        { key: `organisation-approved-${o.id}`, kind: 'organisation-approved', tx },
      );
    },

    async declined(tx: Db, o: OrganisationRow) {
      const org = await settings.get();
      await mail.enqueue(
        {
          to: o.contactEmail,
          subject: `Your registration with ${org.name}`,
          heading: 'About your registration',
          paragraphs: [
            `Dear ${o.contactName},`,
            `Thank you for registering ${o.name} as a possible partner organisation. We are sorry, but we cannot list it as a partner at the moment.`,
            ...(o.declineReason ? ['Our involvement team said:'] : []),
          ],
          ...(o.declineReason ? { quote: o.declineReason } : {}),
          footer: footer(o, org.name),
        },
        { key: `organisation-declined-${o.id}`, kind: 'organisation-declined', tx },
      );
    },
  };
}
