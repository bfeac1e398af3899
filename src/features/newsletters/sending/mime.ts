import { randomBytes } from 'node:crypto';
import type { Mailbox } from '#src/platform/mail/sender.ts';

export { parseMailbox } from '#src/platform/mail/sender.ts';

// Bulk sends build each message's MIME text here instead of through Nodemailer's composer: the
// parts that are the same for everyone (sender, encoded subject, boundary) are made once per
// newsletter, and each person's copy costs two native base64 encodings. Nodemailer still
// delivers it (as a raw message) over its pooled SMTP connections.

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

// RFC 2047 encoded words, split on character boundaries so no word passes 75 characters.
export function encodeHeaderValue(value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
  if (isAscii(clean)) return clean;
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

export function formatMailbox({ name, address }: Mailbox): string {
  if (!name) return address;
  const shown = isAscii(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeHeaderValue(name);
  return `${shown} <${address}>`;
}

const base64Body = (s: string) =>
  Buffer.from(s, 'utf8')
    .toString('base64')
    .replace(/.{76}(?=.)/g, '$&\r\n');

// `sender` is who it is from, as given; `from` the same, encoded for the header.
export type MessageFrame = { sender: Mailbox; from: string; subject: string; boundary: string; common: Record<string, string> };

// The per-newsletter part: encoded once, reused for every recipient.
export function messageFrame(opts: { from: Mailbox; subject: string; headers?: Record<string, string> }): MessageFrame {
  return {
    sender: opts.from,
    from: formatMailbox(opts.from),
    subject: encodeHeaderValue(opts.subject),
    // '-' never occurs in base64, so the boundary cannot appear inside a part.
    boundary: `--coproduce-${randomBytes(12).toString('hex')}`,
    common: opts.headers ?? {},
  };
}

export type PersonalMessage = { to: string; messageId: string; headers: Record<string, string>; text: string; html: string; date?: Date };

export function buildRawMessage(frame: MessageFrame, msg: PersonalMessage): string {
  const lines = [
    `From: ${frame.from}`,
    `To: ${msg.to}`,
    `Subject: ${frame.subject}`,
    `Date: ${(msg.date ?? new Date()).toUTCString()}`,
    `Message-ID: ${msg.messageId}`,
    'MIME-Version: 1.0',
  ];
  for (const [name, value] of Object.entries({ ...frame.common, ...msg.headers })) {
    lines.push(`${name}: ${value.replace(/[\r\n]+/g, ' ').replace(/, </g, ',\r\n <')}`);
  }
  const b = frame.boundary;
  lines.push(
    `Content-Type: multipart/alternative; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Body(msg.text),
    `--${b}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Body(msg.html),
    `--${b}--`,
    '',
  );
  return lines.join('\r\n');
}
