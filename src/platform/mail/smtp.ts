import type { SendMailOptions, Transporter } from 'nodemailer';
import { madeOnFirstUse } from '#src/lib/first-use.ts';

type Nodemailer = (typeof import('nodemailer'))['default'];

// An SMTP transport whose library is loaded with the first message, not at start (ADR 10): a site
// without SMTP_URL never loads Nodemailer, and one with it loads it when it first sends. `make`
// creates the transport from the loaded library; a failed load is tried again on the next message.
export function smtpWhenFirstUsed(make: (mailer: Nodemailer) => Transporter) {
  const transporter = madeOnFirstUse(async () => make((await import('nodemailer')).default));
  return {
    async sendMail(message: SendMailOptions): Promise<void> {
      await (await transporter.get()).sendMail(message);
    },
    close(): void {
      void transporter.ifMade()?.then(
        (t) => t.close(),
        () => {},
      );
    },
  };
}
