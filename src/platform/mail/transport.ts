import type { Db } from '#src/db/client.ts';
import { devOutbox, type MailCalendar } from './tables.ts';
import { displayMailbox, type Mailbox } from './sender.ts';
import { smtpWhenFirstUsed } from './smtp.ts';

export type OutgoingMail = {
  from: Mailbox;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  calendar?: MailCalendar;
};

export type MailTransport = { kind: 'smtp' | 'outbox'; send(mail: OutgoingMail): Promise<void>; close(): void };

// SMTP when SMTP_URL is set (smtp://user:pass@host:587, smtps:// for implicit TLS); otherwise the
// development outbox table, which staff read at /dev/outbox.
export function createTransport(opts: { smtpUrl?: string; db: Db }): MailTransport {
  if (opts.smtpUrl) {
    const smtpUrl = opts.smtpUrl;
    // One connection kept open and used for message after message (Nodemailer's pooled
    // transport), not one per message: each new connection costs the server's greeting, STARTTLS
    // and AUTH, and some servers hold their greeting back on purpose (ADR 7, "Later: one SMTP
    // connection kept open"). SMTP_URL's own query (?pool=false, ?maxMessages=…) still wins.
    const smtp = smtpWhenFirstUsed((mailer) => mailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 1 }));
    return {
      kind: 'smtp',
      async send(mail) {
        await smtp.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: mail.headers,
          // A real text/calendar part with its METHOD, which mail programs offer to add (and
          // update or remove, by the event's UID and SEQUENCE).
          ...(mail.calendar
            ? { icalEvent: { method: mail.calendar.method, filename: mail.calendar.fileName, content: mail.calendar.content } }
            : {}),
        });
      },
      close: () => smtp.close(),
    };
  }
  return {
    kind: 'outbox',
    async send(mail) {
      await opts.db.insert(devOutbox).values({
        toAddress: mail.to,
        fromAddress: displayMailbox(mail.from),
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
        headers: { ...mail.headers, 'Message-ID': mail.messageId },
        calendar: mail.calendar ?? null,
      });
    },
    close: () => {},
  };
}
