import { describe, expect, it } from 'vitest';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { createTransport, type OutgoingMail } from './transport.ts';

// Transactional mail keeps one SMTP connection open for message after message (ADR 7, "Later: one
// SMTP connection kept open"), and opens another when the server has ended it.
const mail = (to: string): OutgoingMail => ({
  from: { name: 'Coproduce', address: 'hello@example.org' },
  to,
  subject: `For ${to}`,
  text: 'Hello',
  html: '<p>Hello</p>',
  messageId: `<${to}@example.org>`,
  headers: {},
});

describe('the SMTP transport for transactional mail', () => {
  it('sends message after message over one connection', async () => {
    const sink = await startSmtpSink();
    const transport = createTransport({ smtpUrl: sink.url, db: undefined as never });
    try {
      for (const to of ['a@example.net', 'b@example.net', 'c@example.net']) await transport.send(mail(to));
    } finally {
      transport.close();
    }
    expect(sink.delivered.map((d) => d.to[0])).toEqual(['a@example.net', 'b@example.net', 'c@example.net']);
    expect(new Set(sink.delivered.map((d) => d.connection)).size).toBe(1);
  });

  it('opens a new connection when the server ended the idle one, losing nothing', async () => {
    const sink = await startSmtpSink({ idleTimeoutMs: 200 });
    const transport = createTransport({ smtpUrl: sink.url, db: undefined as never });
    try {
      await transport.send(mail('first@example.net'));
      await new Promise((resolve) => setTimeout(resolve, 600));
      await transport.send(mail('second@example.net'));
    } finally {
      transport.close();
    }
    expect(sink.delivered.map((d) => d.to[0])).toEqual(['first@example.net', 'second@example.net']);
    expect(sink.delivered[0]!.connection).not.toBe(sink.delivered[1]!.connection);
  });
});
