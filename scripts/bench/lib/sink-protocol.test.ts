import net from 'node:net';
import { describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { createSmtpSession } from './sink-protocol.ts';

function session() {
  const replies: string[] = [];
  const ids: string[] = [];
  let quit = false;
  const s = createSmtpSession({ reply: (t) => replies.push(t), message: (id) => ids.push(id), quit: () => (quit = true) });
  return { s, replies, ids, quitted: () => quit };
}

const body = (n: number) => `Subject: ${n}\r\nMessage-ID: <m${n}@example.org>\r\n\r\n..a stuffed line\r\nbody ${n}\r\n`;
const conversation =
  'EHLO client\r\n' +
  'MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n' +
  body(1) +
  '.\r\n' +
  'MAIL FROM:<a@example.org>\r\nRCPT TO:<c@example.net>\r\nDATA\r\n' +
  '.\r\n' +
  'RSET\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<d@example.net>\r\nDATA\r\n' +
  body(2) +
  '.\r\nQUIT\r\n';

describe('the newsletter bench sink’s SMTP session', () => {
  it('answers a pipelined conversation in order and counts each message once, however the bytes are cut', () => {
    const bytes = Buffer.from(conversation);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { s, replies, ids, quitted } = session();
      for (let at = 0; at < bytes.length; at += cut) s.receive(bytes.subarray(at, at + cut));
      expect(ids, `cut every ${cut} bytes`).toEqual(['<m1@example.org>', '', '<m2@example.org>']);
      expect(replies.map((r) => r.slice(0, 3))).toEqual([
        '220',
        '250',
        '250',
        '250',
        '354',
        '250',
        '250',
        '250',
        '354',
        '250',
        '250',
        '250',
        '250',
        '354',
        '250',
        '221',
      ]);
      expect(quitted()).toBe(true);
    }
  });

  it('counts nothing for a message whose final dot never came', () => {
    const { s, ids } = session();
    s.receive(Buffer.from(`EHLO x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n${body(3)}\r\n.`));
    expect(ids).toEqual([]);
  });

  it('refuses a command it does not know, and a line that never ends', () => {
    const { s, replies, quitted } = session();
    s.receive(Buffer.from('VRFY someone\r\n'));
    expect(replies.at(-1)).toMatch(/^502 /);
    s.receive(Buffer.alloc(5000, 'a'));
    expect(replies.at(-1)).toMatch(/^500 /);
    expect(quitted()).toBe(true);
  });

  it('takes messages from Nodemailer over a real connection, with pipelining', async () => {
    const ids: string[] = [];
    const server = net.createServer((socket) => {
      const s = createSmtpSession({ reply: (t) => socket.write(t), message: (id) => ids.push(id), quit: () => socket.end() });
      socket.on('data', (c: Buffer) => s.receive(c));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 2,
    });
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          transport.sendMail({
            from: 'a@example.org',
            to: `r${i}@example.net`,
            messageId: `<n${i}@example.org>`,
            text: `.hello ${i}\n`.repeat(2000),
          }),
        ),
      );
      expect([...ids].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `<n${i}@example.org>`).sort());
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
