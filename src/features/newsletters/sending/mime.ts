import { randomBytes } from 'node:crypto';
import type { Mailbox } from '#src/platform/mail/sender.ts';

export { parseMailbox } from '#src/platform/mail/sender.ts';

// Bulk sends build each message's MIME text here instead of through Nodemailer's composer: the
// parts that are the same for everyone (sender, encoded subject, boundary, shared headers) are
// made once per newsletter, and each person's copy is two native base64 encodings joined into one
// Buffer, which goes to the SMTP connection as it is (smtp-pool.ts).

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

// Lines of 76 characters (RFC 2045) cut by slicing: a regular expression over the whole body was
// a few per cent of a bulk send's CPU. Slices of a flat string share its characters.
export function base64Lines(s: string): string {
  const b64 = Buffer.from(s, 'utf8').toString('base64');
  let out = b64.slice(0, 76);
  for (let i = 76; i < b64.length; i += 76) out += '\r\n' + b64.slice(i, i + 76);
  return out;
}

const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').replace(/, </g, ',\r\n <');
// Header lines as written, each ending in CRLF.
const headerLines = (headers: [string, string][]) => headers.map(([name, value]) => `${name}: ${oneLine(value)}\r\n`).join('');

// `sender` is who it is from, as given; `from` the same, encoded for the header.
// `commonLines` are the shared headers as written, each ending in CRLF.
export type MessageFrame = {
  sender: Mailbox;
  from: string;
  subject: string;
  boundary: string;
  common: Record<string, string>;
  commonLines: string;
};

// The per-newsletter part: encoded once, reused for every recipient.
export function messageFrame(opts: { from: Mailbox; subject: string; headers?: Record<string, string> }): MessageFrame {
  const common = opts.headers ?? {};
  return {
    sender: opts.from,
    from: formatMailbox(opts.from),
    subject: encodeHeaderValue(opts.subject),
    // '-' never occurs in base64, so the boundary cannot appear inside a part.
    boundary: `--coproduce-${randomBytes(12).toString('hex')}`,
    common,
    commonLines: headerLines(Object.entries(common)),
  };
}

export type PersonalMessage = { to: string; messageId: string; headers: Record<string, string>; text: string; html: string; date?: Date };

// One string joined from template parts, encoded once: the message as the SMTP connection sends it.
export function buildRawMessage(frame: MessageFrame, msg: PersonalMessage): Buffer {
  let personal = '';
  let overridesCommon = false;
  for (const name in msg.headers) {
    personal += `${name}: ${oneLine(msg.headers[name]!)}\r\n`;
    if (Object.hasOwn(frame.common, name)) overridesCommon = true;
  }
  // A person's header replaces the shared one of the same name (not seen in practice).
  const common = overridesCommon
    ? headerLines(Object.entries(frame.common).filter(([name]) => !Object.hasOwn(msg.headers, name)))
    : frame.commonLines;
  const b = frame.boundary;
  const raw =
    `From: ${frame.from}\r\nTo: ${msg.to}\r\nSubject: ${frame.subject}\r\n` +
    `Date: ${(msg.date ?? new Date()).toUTCString()}\r\nMessage-ID: ${msg.messageId}\r\nMIME-Version: 1.0\r\n` +
    common +
    personal +
    `Content-Type: multipart/alternative; boundary="${b}"\r\n\r\n` +
    `--${b}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
    base64Lines(msg.text) +
    `\r\n--${b}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
    base64Lines(msg.html) +
    `\r\n--${b}--\r\n`;
  return Buffer.from(raw, 'utf8');
}
