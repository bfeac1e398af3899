import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config.ts';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { createAuth } from '#src/platform/identity/better-auth.ts';
import { createStaffUser } from '#src/platform/identity/service.ts';
import { comments } from '#src/features/comments/tables.ts';
import { createStory, onStory, type StoryRow } from '#tests/helpers/factories.ts';
import { scratchDatabase } from '#tests/helpers/postgres-admin.ts';
import { appServerArgs, freePort, spawnNode, waitFor200, type Child } from '#scripts/bench/lib/children.ts';
import { serverEnv } from '#scripts/bench/story-page.ts';
import { check as deliveries, seedSubscribers, startSend, statusOf as newsletterStatus } from '#scripts/bench/newsletter.ts';

// Two app instances on loopback against one PostgreSQL database and one Redis (issue 10): what one
// instance does, the other sees at once; limits count across both; queued work runs once and
// survives an instance killed mid-way. `npm run test:scale` runs this file alone; `npm test` runs
// it with the PostgreSQL project when TEST_REDIS_URL is set (.ci/run starts Redis).

const root = fileURLToPath(new URL('../../', import.meta.url));
const adminUrl = process.env.TEST_DATABASE_URL!;
// A database of its own on the shared Redis, so parallel runs never share counters.
const redisUrl = `${process.env.TEST_REDIS_URL!.replace(/\/\d*$/, '')}/${1 + Math.floor(Math.random() * 15)}`;
const staff = { email: 'scale.admin@example.org', password: 'scale-admin-password-123' };
const SUBSCRIBERS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dropDatabase: (() => Promise<void>) | undefined;
let databaseUrl: string;
// The staff "Send" action, through the app's own service in this process (as the bench does): the
// job lands in the shared queue, and whichever instance's worker takes it sends.
const sendEnv = () => serverEnv({ DATABASE_URL: databaseUrl, BASE_URL: 'http://127.0.0.1:1', MAIL_FROM: 'Scale <scale@127.0.0.1>' });
let database: DbHandle;
let story: StoryRow;
let pendingId: number;
let sink: Child;
let sinkUrl: string;
const instances: { a?: Instance; b?: Instance } = {};
// Every server started, stopped after the file even if another failed to start (one left running
// by a failed start once answered on its port for the rest of the run).
const spawned: Child[] = [];
type Instance = { url: string; child: Child };

beforeAll(async () => {
  const scratch = await scratchDatabase(adminUrl, 'scale');
  dropDatabase = scratch.drop;
  databaseUrl = scratch.url;
  const [smtpPort, sinkPort, portA, portB] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  sink = spawnNode(
    ['scripts/bench/newsletter-sink.ts'],
    { ...process.env, SINK_SMTP_PORT: String(smtpPort), SINK_HTTP_PORT: String(sinkPort) },
    root,
  );
  sinkUrl = `http://127.0.0.1:${sinkPort}`;
  await waitFor200(`${sinkUrl}/stats`, sink, 10_000);

  const start = async (port: number): Promise<Instance> => {
    const env = serverEnv({
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      TRUST_PROXY: 'true',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Scale <scale@127.0.0.1>',
      NEWSLETTER_RATE: '0',
      AUTH_SECRET: 'a-secret-shared-by-every-instance-0123456789',
    });
    const child = spawnNode(appServerArgs(), env, root);
    spawned.push(child);
    await waitFor200(`http://127.0.0.1:${port}/healthz`, child, 30_000);
    return { url: `http://127.0.0.1:${port}`, child };
  };
  // Both start at once on the empty database: one migrates while the other waits its turn.
  [instances.a, instances.b] = await Promise.all([start(portA), start(portB)]);

  database = await openDatabase({ databaseUrl, poolSize: 4 });
  const config = loadConfig(serverEnv({ DATABASE_URL: databaseUrl, BASE_URL: 'http://127.0.0.1:1' }));
  const made = await createStaffUser(createAuth(database.db, config), { ...staff, name: 'Scale Admin', role: 'admin' });
  if (!made.ok) throw new Error(made.error);
  story = await createStory(database.db);
  const [pending] = await database.db
    .insert(comments)
    .values({
      ...onStory(story.id),
      authorName: 'Nia',
      authorEmail: 'nia@example.org',
      body: 'Seen on every instance at once',
      status: 'pending',
    })
    .returning({ id: comments.id });
  pendingId = pending!.id;
  await seedSubscribers(database, SUBSCRIBERS);
}, 120_000);

afterAll(async () => {
  for (const child of [...spawned, sink]) await child?.stop(3000);
  await database?.close();
  await dropDatabase?.();
}, 60_000);

// A browser's cookie jar, enough for one person on one instance.
class Visitor {
  cookies = new Map<string, string>();
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }
  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return { status: res.status, body: await res.text(), location: res.headers.get('location') };
  }
  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }
  async csrf(path: string) {
    return /name="_csrf" value="([^"]+)"/.exec((await this.request(path)).body)![1]!;
  }
}

describe('two instances behind one load balancer', () => {
  it('shows a comment approved through one instance on the other instance’s cached page within a second', async () => {
    const { a, b } = instances as Required<typeof instances>;
    const reader = new Visitor(b.url);
    const before = await reader.request(`/stories/${story.slug}`);
    expect(before.body).not.toContain('Seen on every instance at once');

    const moderator = new Visitor(a.url);
    const signIn = await moderator.post('/sign-in', { _csrf: await moderator.csrf('/sign-in'), ...staff, next: '' });
    expect(signIn.status).toBe(303);
    const approved = await moderator.post(`/admin/comments/${pendingId}/approve`, { _csrf: await moderator.csrf('/admin/comments') });
    expect(approved.status).toBe(303);

    const since = performance.now();
    let seen = false;
    while (!seen && performance.now() - since < 1000) {
      seen = (await reader.request(`/stories/${story.slug}`)).body.includes('Seen on every instance at once');
      if (!seen) await sleep(25);
    }
    expect(seen, 'instance B still served its cached page a second after the approval').toBe(true);
  });

  it('counts sign-in attempts from one address across both instances', async () => {
    const { a, b } = instances as Required<typeof instances>;
    const from = { 'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 200) + 1}` };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const visitor = new Visitor(i % 2 === 0 ? a.url : b.url);
      const res = await visitor.post(
        '/sign-in',
        { _csrf: await visitor.csrf('/sign-in'), email: `nobody${i}@example.org`, password: 'not the password at all', next: '' },
        from,
      );
      statuses.push(res.status);
    }
    // Ten a minute per address (six reached A, five B): alone, neither instance would refuse.
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('delivers a newsletter exactly once with both instances sending', async () => {
    const sent = await startSend(sendEnv(), database, 'Both instances running');
    expect(sent.recipients).toBe(SUBSCRIBERS);
    await waitUntil(async () => (await newsletterStatus(database, sent.id)) === 'sent', 60_000);
    const result = await deliveries(database, sent.id, sinkUrl);
    expect(result).toEqual({ delivered: SUBSCRIBERS, duplicates: 0, omissions: 0 });
  }, 90_000);

  it('finishes a newsletter when the instance sending it is killed half way, omitting nobody', async () => {
    const { a } = instances as Required<typeof instances>;
    await fetch(`${sinkUrl}/reset`, { method: 'POST' });
    const sent = await startSend(sendEnv(), database, 'One instance killed');
    await waitUntil(async () => ((await (await fetch(`${sinkUrl}/stats`)).json()) as { received: number }).received >= 400, 60_000);
    a.child.proc.kill('SIGKILL');
    await a.child.exited;
    await waitUntil(async () => (await newsletterStatus(database, sent.id)) === 'sent', 90_000);
    const result = await deliveries(database, sent.id, sinkUrl);
    expect(result.omissions).toBe(0);
    expect(result.delivered).toBe(SUBSCRIBERS);
    // Only messages in flight at the kill can go twice (same Message-ID, ADR 8).
    expect(result.duplicates).toBeLessThanOrEqual(50);
  }, 150_000);
});

async function waitUntil(done: () => Promise<boolean>, timeoutMs: number) {
  const until = performance.now() + timeoutMs;
  while (!(await done())) {
    if (performance.now() > until) throw new Error(`not done within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}
