import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import type { Socket } from 'node:net';
import { madeOnFirstUse } from '#src/lib/first-use.ts';

// Bulk sends hand each finished message (a Buffer, mime.ts) to one of a few open connections made
// with Nodemailer's own SMTP client. Its pooled transport would wrap even a raw message in a MIME
// tree and a chain of streams for every person: about half of the sending process's CPU. The
// client still does the protocol: greeting, STARTTLS, AUTH, PIPELINING, dot-stuffing, timeouts.

type Connection = { smtp: SMTPConnection; sent: number; idleTimer?: NodeJS.Timeout; gone: boolean };
export type SmtpPool = {
  send(envelope: { from: string; to: string }, message: Buffer): Promise<void>;
  close(): void;
};

type PoolOptions = SMTPConnectionOptions & {
  auth?: { user?: string; pass?: string };
  service?: string;
  maxMessages?: number;
  forceAuth?: boolean;
  authMethod?: string;
  proxy?: string;
};

// RFC 5321 asks servers to wait at least five minutes for a client; closing an idle connection
// sooner means we end it, not the server in the middle of a message.
const IDLE_MS = 4 * 60_000;

// The options Nodemailer's createTransport({ url }) would use: the URL's protocol, host, port,
// user and password and its query (tls.*, requireTLS, authMethod, maxMessages …), and a
// well-known `service`'s settings.
async function optionsFrom(url: string, base: SMTPConnectionOptions) {
  const [{ parseConnectionUrl }, { default: wellKnown }] = await Promise.all([
    import('nodemailer/lib/shared'),
    import('nodemailer/lib/well-known'),
  ]);
  const fromUrl = parseConnectionUrl(url) as PoolOptions;
  return { ...base, ...fromUrl, ...(fromUrl.service ? wellKnown(fromUrl.service) || {} : {}) } as PoolOptions;
}

// SMTP_URL's ?proxy=http://… as Nodemailer's transport uses it: an HTTP CONNECT tunnel, over which
// the SMTP connection (and its TLS) then runs. SOCKS needs a module this app never gave Nodemailer.
async function throughProxy(o: PoolOptions & { proxy: string }): Promise<Socket> {
  const protocol = new URL(o.proxy).protocol;
  if (protocol !== 'http:' && protocol !== 'https:')
    throw Object.assign(new Error(`SMTP_URL's ${protocol} proxy is not supported`), { code: 'EPROXY' });
  const { default: httpProxyClient } = await import('nodemailer/lib/smtp-connection/http-proxy-client');
  const port = o.port ?? (o.secure ? 465 : 587);
  return new Promise((resolve, reject) =>
    httpProxyClient(o.proxy, port, o.host ?? 'localhost', { ...o.tls, timeout: o.connectionTimeout }, (err, socket) =>
      err ? reject(err) : resolve(socket),
    ),
  );
}

export function createSmtpPool(opts: { url: string; maxConnections: number; timeouts: SMTPConnectionOptions }): SmtpPool {
  const loaded = madeOnFirstUse(async () => ({
    Client: (await import('nodemailer/lib/smtp-connection')).default,
    options: await optionsFrom(opts.url, { ...opts.timeouts, logger: false }),
  }));
  const idle: Connection[] = [];
  const waiting: ((c: Connection | null) => void)[] = [];
  const open = new Set<Connection>();
  let opening = 0;
  let closed = false;

  function drop(c: Connection) {
    if (c.gone) return;
    c.gone = true;
    clearTimeout(c.idleTimer);
    const at = idle.indexOf(c);
    if (at >= 0) idle.splice(at, 1);
    c.smtp.close();
    // A slot is free: someone waiting may open a connection of their own.
    if (open.delete(c)) waiting.shift()?.(null);
  }

  // Connected, greeted, upgraded to TLS and logged in as SMTP_URL says, or the first error.
  async function connect(): Promise<Connection> {
    const { Client, options } = await loaded.get();
    const smtp = new Client(options.proxy ? { ...options, connection: await throughProxy({ ...options, proxy: options.proxy }) } : options);
    const c: Connection = { smtp, sent: 0, gone: false };
    let failed: (err: Error) => void = () => {};
    // A server may also end an idle connection (421, a timeout): forget it, do not crash.
    smtp.on('error', (err: Error) => {
      failed(err);
      drop(c);
    });
    smtp.once('end', () => {
      failed(Object.assign(new Error('the SMTP server closed the connection'), { code: 'ECONNECTION' }));
      drop(c);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        failed = reject;
        smtp.connect((err) => (err ? reject(err) : resolve()));
      });
      const { user, pass } = options.auth ?? {};
      if ((user || pass) && (smtp.allowsAuth || options.forceAuth)) {
        await new Promise<void>((resolve, reject) => {
          failed = reject;
          const method = options.authMethod;
          smtp.login({ credentials: { user: user ?? '', pass: pass ?? '' }, ...(method ? { method } : {}) }, (err) =>
            err ? reject(err) : resolve(),
          );
        });
      }
    } catch (err) {
      drop(c);
      throw err;
    } finally {
      failed = () => {};
    }
    return c;
  }

  // An idle connection, a new one while there are fewer than maxConnections, or the next one
  // another send gives back.
  async function acquire(): Promise<Connection> {
    for (;;) {
      if (closed) throw Object.assign(new Error('the SMTP pool is closed'), { code: 'ECONNECTION' });
      const ready = idle.pop();
      if (ready) {
        clearTimeout(ready.idleTimer);
        return ready;
      }
      if (open.size + opening < opts.maxConnections) {
        opening++;
        let c: Connection;
        try {
          c = await connect();
        } catch (err) {
          opening--;
          waiting.shift()?.(null);
          throw err;
        }
        opening--;
        if (c.gone) continue;
        open.add(c);
        return c;
      }
      const handed = await new Promise<Connection | null>((resolve) => waiting.push(resolve));
      if (handed) return handed;
    }
  }

  function release(c: Connection, maxMessages: number) {
    if (c.gone) return;
    if (closed || c.sent >= maxMessages) return drop(c);
    const next = waiting.shift();
    if (next) return next(c);
    c.idleTimer = setTimeout(() => drop(c), IDLE_MS).unref();
    idle.push(c);
  }

  return {
    async send(envelope, message) {
      const { options } = await loaded.get();
      const maxMessages = Number(options.maxMessages) || Infinity;
      const c = await acquire();
      try {
        await new Promise<void>((resolve, reject) => c.smtp.send(envelope, message, (err) => (err ? reject(err) : resolve())));
        c.sent++;
        release(c, maxMessages);
      } catch (err) {
        // The server refused this message or this recipient; the connection itself is fine
        // once the session is reset (as Nodemailer's pool does). Anything else ends it.
        const { code, responseCode } = err as { code?: string; responseCode?: number };
        if ((code === 'EENVELOPE' || code === 'EMESSAGE') && responseCode !== 421 && !c.gone) {
          c.smtp.reset((resetErr) => (resetErr ? drop(c) : release(c, maxMessages)));
        } else drop(c);
        throw err;
      }
    },
    close() {
      closed = true;
      for (const c of [...open]) drop(c);
      for (const w of waiting.splice(0)) w(null);
    },
  };
}
