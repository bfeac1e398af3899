import type { SendMailOptions, Transporter } from 'nodemailer';

type Nodemailer = (typeof import('nodemailer'))['default'];

// An SMTP transport whose library is loaded with the first message, not at start (ADR 10): a site
// without SMTP_URL never loads Nodemailer, and one with it loads it when it first sends. `make`
// creates the transport from the loaded library; a failed load is tried again on the next message.
export function smtpWhenFirstUsed(make: (mailer: Nodemailer) => Transporter) {
  let made: Promise<Transporter> | null = null;
  const transporter = () =>
    (made ??= import('nodemailer').then(
      (m) => make(m.default),
      (err: unknown) => {
        made = null;
        throw err;
      },
    ));
  return {
    async sendMail(message: SendMailOptions): Promise<void> {
      await (await transporter()).sendMail(message);
    },
    close(): void {
      void made?.then(
        (t) => t.close(),
        () => {},
      );
    },
  };
}
