import type { Db, Tx } from '#src/db/client.ts';
import { defaultLang, type Lang, type Translator } from '#src/lib/i18n.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { EmailContent, EnqueueOptions } from '#src/platform/mail/service.ts';

type WithContact = { contactUserId: string | null; contactEmail: string | null };
export type Contact = { email: string; lang: Lang };
type Words = Omit<EmailContent, 'to' | 'lang'>;

// The opportunity's contact, and emails to them: the named member of staff's address (in the
// language they chose, when asked for), else the advert's contact address in English. Every email
// to the contact goes through here (applications, the daily digest, answered offers).
export function createContactMail(ctx: Pick<FeatureContext, 'db' | 'i18n' | 'services'>) {
  const { identity, profile, mail } = ctx.services;

  // `language`: look up the language the person chose. Leave it out inside a transaction (it reads
  // outside it, and PGlite has one connection) or when the words have no other language yet.
  async function contactOf(o: WithContact, opts: { runner?: Db | Tx; language?: boolean } = {}): Promise<Contact | null> {
    if (o.contactUserId) {
      const account = await identity.findAccountById(o.contactUserId, opts.runner ?? ctx.db);
      if (account) {
        const lang = opts.language ? ((await profile.language(account.id)) ?? defaultLang) : defaultLang;
        return { email: account.email, lang };
      }
    }
    return o.contactEmail ? { email: o.contactEmail, lang: defaultLang } : null;
  }

  return {
    contactOf,
    // Writes the email in the contact's language and enqueues it (in `opts.tx` when given).
    async send(contact: Contact, write: (tr: Translator) => Words | Promise<Words>, opts: EnqueueOptions) {
      const tr = ctx.i18n.translator(contact.lang);
      await mail.enqueue({ ...(await write(tr)), to: contact.email, lang: tr.lang }, opts);
    },
  };
}
export type ContactMail = ReturnType<typeof createContactMail>;
