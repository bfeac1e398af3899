import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createSmtpPool, type SmtpPool } from './smtp-pool.ts';

// A real SMTP server in this process that records each message's bytes and the connection it came
// over; `options` adds authentication, refusals or a short idle timeout.
async function startServer(options: Partial<SMTPServerOptions> = {}) {
  const received: { raw: Buffer; to: string; connection: string; user?: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks),
          to: session.envelope.rcptTo[0]!.address,
          connection: session.id,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
    ...options,
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port, received };
}

const pools: SmtpPool[] = [];
afterAll(() => pools.forEach((p) => p.close()));
function pool(url: string, maxConnections = 2) {
  const p = createSmtpPool({ url, maxConnections, timeouts: { connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 5000 } });
  pools.push(p);
  return p;
}
const message = (n: number) =>
  Buffer.from(`Subject: ${n}\r\nMessage-ID: <m${n}@example.org>\r\n\r\n.a line that starts with a dot\r\nend of ${n}\r\n`);

describe('the bulk SMTP pool (Nodemailer SMTP connections)', () => {
  it('logs in as SMTP_URL says and delivers every message unchanged over at most maxConnections connections', async () => {
    const server = await startServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'news' && auth.password === 'p@ss word') return callback(null, { user: auth.username });
        callback(new Error('Invalid username or password'));
      },
    });
    const p = pool(`smtp://news:${encodeURIComponent('p@ss word')}@127.0.0.1:${server.port}`, 3);
    await Promise.all(Array.from({ length: 30 }, (_, i) => p.send({ from: 'news@example.org', to: `r${i}@example.net` }, message(i))));
    expect(server.received).toHaveLength(30);
    for (const m of server.received) expect(m.raw.equals(message(Number(m.to.slice(1, -12))))).toBe(true);
    expect(new Set(server.received.map((m) => m.connection)).size).toBeLessThanOrEqual(3);
    expect(server.received.every((m) => m.user === 'news')).toBe(true);
  });

  it('gives the SMTP response code of a refused recipient and keeps using the connection', async () => {
    const server = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address === 'nope@example.net') return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        callback();
      },
    });
    const p = pool(`smtp://127.0.0.1:${server.port}`, 1);
    await p.send({ from: 'news@example.org', to: 'a@example.net' }, message(1));
    await expect(p.send({ from: 'news@example.org', to: 'nope@example.net' }, message(2))).rejects.toMatchObject({ responseCode: 550 });
    await p.send({ from: 'news@example.org', to: 'b@example.net' }, message(3));
    expect(server.received.map((m) => m.to)).toEqual(['a@example.net', 'b@example.net']);
    expect(server.received[0]!.connection).toBe(server.received[1]!.connection);
  });

  it('fails every send with no response code when the server cannot be reached, none left waiting', async () => {
    // Port 9 (discard) has nothing listening on a test machine: the connection is refused.
    const down = pool('smtp://127.0.0.1:9', 2);
    const results = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) => down.send({ from: 'n@example.org', to: `r${i}@example.net` }, message(i))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(7).fill('rejected'));
    for (const r of results) expect((r as PromiseRejectedResult).reason).not.toHaveProperty('responseCode');
  });

  it('forgets a connection the server ended while idle and opens another', async () => {
    const server = await startServer({ socketTimeout: 300 });
    const p = pool(`smtp://127.0.0.1:${server.port}`, 1);
    await p.send({ from: 'n@example.org', to: 'first@example.net' }, message(1));
    await new Promise((resolve) => setTimeout(resolve, 700));
    await p.send({ from: 'n@example.org', to: 'second@example.net' }, message(2));
    expect(server.received.map((m) => m.to)).toEqual(['first@example.net', 'second@example.net']);
    expect(server.received[0]!.connection).not.toBe(server.received[1]!.connection);
  });

  it('opens a new connection after the maxMessages SMTP_URL allows on one', async () => {
    const server = await startServer();
    const p = pool(`smtp://127.0.0.1:${server.port}?maxMessages=2`, 1);
    for (let i = 0; i < 5; i++) await p.send({ from: 'n@example.org', to: `r${i}@example.net` }, message(i));
    const connections = server.received.map((m) => m.connection);
    expect(new Set(connections).size).toBe(3);
    expect(connections[0]).toBe(connections[1]);
    expect(connections[1]).not.toBe(connections[2]);
  });

  it("goes through SMTP_URL's HTTP proxy when it names one", async () => {
    const server = await startServer();
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req, client) => {
      tunnels.push(req.url!);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const proxyPort = (proxy.address() as { port: number }).port;
    const p = pool(`smtp://127.0.0.1:${server.port}?proxy=${encodeURIComponent(`http://127.0.0.1:${proxyPort}`)}`, 1);
    await p.send({ from: 'n@example.org', to: 'proxied@example.net' }, message(1));
    expect(tunnels).toEqual([`127.0.0.1:${server.port}`]);
    expect(server.received.map((m) => m.to)).toEqual(['proxied@example.net']);
  });
});
