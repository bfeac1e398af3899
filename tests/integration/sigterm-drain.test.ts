import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import { openDatabase } from '#src/db/client.ts';
import { signStamp } from '#src/lib/form-stamp.ts';
import { SERVER_NODE_FLAGS } from '#src/runtime-flags.ts';
import { comments } from '#src/features/comments/tables.ts';
import { testDbKind } from '#tests/helpers/database.ts';
import { scratchDatabase } from '#tests/helpers/postgres-admin.ts';
import { hiddenFields } from '#tests/helpers/app.ts';

// Issue 17: SIGTERM under load reset 5–8 in-flight POSTs and every in-flight GET. A real server
// process is stopped while it takes comments and serves pages over keep-alive connections: every
// request sent before the signal gets a whole answer, and every acknowledged comment is stored.
const secret = 'drain-test-secret-drain-test-secret-0123';
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

type Outcome = {
  sentBeforeSignal: boolean;
  sentAt: number;
  receivedAt?: number;
  status?: number;
  complete: boolean;
  error?: string;
  connection?: string;
  body?: string;
};

describe('SIGTERM under load', () => {
  let dataDir: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await dropDatabase?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every request already sent, closes keep-alive connections politely, and loses no comment', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: `http://127.0.0.1:${port}`,
      AUTH_SECRET: secret,
      TRUST_PROXY: 'true',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      SMTP_URL: '',
    };
    if (testDbKind === 'postgres') {
      const scratch = await scratchDatabase(process.env.TEST_DATABASE_URL!, 'drain');
      dropDatabase = scratch.drop;
      env.DATABASE_URL = scratch.url;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'coproduce-drain-'));
      env.DATA_DIR = dataDir;
      delete env.DATABASE_URL;
    }
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'src/server.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    const agent = new Agent({ keepAlive: true, maxSockets: 12 });
    let cookie = '';
    const send = (
      method: 'GET' | 'POST',
      path: string,
      form?: Record<string, string>,
      headers: Record<string, string> = {},
      onSent?: () => void,
    ) =>
      new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
        const payload = form ? new URLSearchParams(form).toString() : undefined;
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: { cookie, ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        // Handed to the operating system: from here the request is on its way to the server.
        if (onSent) req.once('finish', onSent);
        req.end(payload);
      });

    // Up (migrations and demo content on a fresh database), then a story and its comment form.
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
      const up = await send('GET', '/healthz').catch(() => null);
      if (up?.status === 200) break;
      if (Date.now() - started > 90_000) throw new Error(`server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const slug = /href="\/stories\/([a-z0-9-]+)"/.exec((await send('GET', '/stories')).body)![1]!;
    const action = `/stories/${slug}/comments`;
    const formPage = await send('GET', `${action}/new`);
    cookie = [formPage.headers['set-cookie'] ?? []]
      .flat()
      .map((c) => c.split(';')[0])
      .join('; ');
    const hidden = hiddenFields(formPage.body, action);

    let signalled = false;
    let seq = 0;
    const outcomes: Outcome[] = [];
    const worker = async (w: number) => {
      while (child.exitCode === null) {
        const n = seq++;
        // Sent before the signal only if it left this process before the signal did: on a busy
        // machine a request made just before may not be written until after the server has gone.
        const outcome: Outcome = { sentBeforeSignal: false, sentAt: Date.now(), complete: false };
        outcomes.push(outcome);
        const sent = () => {
          outcome.sentBeforeSignal = !signalled;
          outcome.sentAt = Date.now();
        };
        try {
          const res =
            n % 3 === 0
              ? await send('GET', `/stories/${slug}?n=${n}`, undefined, {}, sent)
              : await send(
                  'POST',
                  action,
                  {
                    ...hidden,
                    stamp: signStamp(secret, Date.now() - 10_000),
                    name: `Drain Tester ${n}`,
                    email: `drain-${n}@example.org`,
                    comment: `drain-${n} comment`,
                  },
                  { 'x-forwarded-for': `10.${w}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}` },
                  sent,
                );
          Object.assign(outcome, {
            receivedAt: Date.now(),
            status: res.status,
            complete: true,
            connection: res.headers.connection,
            body: `drain-${n}`,
          });
        } catch (err) {
          outcome.error = (err as NodeJS.ErrnoException).code ?? String(err);
          if (signalled) return;
        }
      }
    };
    const workers = Array.from({ length: 12 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 1_500));
    signalled = true;
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    await Promise.all(workers);
    agent.destroy();

    expect(code, output).toBe(0);
    const before = outcomes.filter((o) => o.sentBeforeSignal);
    expect(before.length).toBeGreaterThan(20);
    const unanswered = before.filter((o) => !o.complete || o.status! >= 500);
    // Each as its error code or status, so a failure says what went wrong (objects are cut short).
    expect(
      unanswered.map(
        (o) => `${o.error ?? (o.complete ? `status ${o.status}` : 'no answer')}, sent ${o.sentAt - signalledAt} ms from the signal`,
      ),
      output,
    ).toEqual([]);
    // Responses given while draining asked the client to close the connection. When the server
    // begins draining is its own business (a busy machine may take a while to deliver the signal),
    // so the test reads it from the answers: the first `Connection: close` the client received
    // proves the drain had begun, and every request sent after that must be answered the same way.
    const firstClose = Math.min(...outcomes.filter((o) => o.connection === 'close').map((o) => o.receivedAt!));
    expect(Number.isFinite(firstClose), 'no answer asked the client to close its connection').toBe(true);
    const afterDrainBegan = outcomes.filter((o) => o.sentAt > firstClose && o.complete);
    expect(afterDrainBegan.filter((o) => o.connection !== 'close')).toEqual([]);

    const acknowledged = outcomes.filter((o) => o.status === 303).map((o) => `${o.body} comment`);
    expect(acknowledged.length).toBeGreaterThan(5);
    const db = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL, poolSize: 1 } : { dataDir });
    const stored = new Set(
      (await db.db.select({ body: comments.body }).from(comments).where(like(comments.body, 'drain-%'))).map((r) => r.body),
    );
    await db.close();
    expect(acknowledged.filter((body) => !stored.has(body))).toEqual([]);
  }, 120_000);
});
