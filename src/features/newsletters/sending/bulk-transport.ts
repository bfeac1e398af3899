import type { MailTransport } from '#src/platform/mail/transport.ts';
import { buildRawMessage, parseMailbox, type MessageFrame, type PersonalMessage } from './mime.ts';
import { createSmtpPool } from './smtp-pool.ts';

export type BulkTransport = {
  kind: 'smtp' | 'outbox';
  // How many messages it can usefully have in hand at once.
  capacity: number;
  send(frame: MessageFrame, subject: string, msg: PersonalMessage): Promise<void>;
  close(): void;
};

// How a failed delivery should be treated: 'permanent' (5xx: the address will not take it),
// 'temporary' (4xx: try this person again later) or 'connection' (the server could not be
// reached: not this person's fault; slow down and try again).
export type FailureKind = 'permanent' | 'temporary' | 'connection';
export function classifyFailure(err: unknown): FailureKind {
  const code = (err as { responseCode?: unknown }).responseCode;
  if (typeof code === 'number' && code >= 500) return 'permanent';
  if (typeof code === 'number' && code >= 400) return 'temporary';
  return 'connection';
}

// Newsletters go over a pool of SMTP connections kept open for the whole send (SMTP_URL,
// smtp-pool.ts), or, with none set, into the development outbox through the mail feature's transport.
export function createBulkTransport(opts: {
  smtpUrl?: string;
  from: string;
  outbox: MailTransport;
  maxConnections?: number;
}): BulkTransport {
  if (!opts.smtpUrl) {
    return {
      kind: 'outbox',
      capacity: 4,
      async send(frame, subject, msg) {
        await opts.outbox.send({
          from: frame.sender,
          to: msg.to,
          subject,
          text: msg.text,
          html: msg.html,
          messageId: msg.messageId,
          headers: { ...frame.common, ...msg.headers },
        });
      },
      close: () => {},
    };
  }
  // Eight connections unless SMTP_URL says otherwise (e.g. smtp://host:587?maxConnections=20):
  // providers limit how many they accept from one sender.
  const fromUrl = Number(new URL(opts.smtpUrl).searchParams.get('maxConnections'));
  const maxConnections = fromUrl > 0 ? fromUrl : (opts.maxConnections ?? 8);
  const pool = createSmtpPool({
    url: opts.smtpUrl,
    maxConnections,
    timeouts: { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 },
  });
  const envelopeFrom = parseMailbox(opts.from).address;
  return {
    kind: 'smtp',
    capacity: maxConnections * 2,
    send: (frame, _subject, msg) => pool.send({ from: envelopeFrom, to: msg.to }, buildRawMessage(frame, msg)),
    close: () => pool.close(),
  };
}
