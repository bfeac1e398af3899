import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '#src/config.ts';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { buildApp } from '#src/app.ts';
import { newsletterRecipients, newsletters } from '#src/features/newsletters/tables.ts';
import { appServerArgs, cleanupAll, freePort, installExitHandlers, onCleanup, spawnNode, waitFor200, type Child } from './lib/children.ts';
import { budgetRow, fmt, infoRow, printTable, skippedRow, type Row } from './lib/report.ts';
import { sampleMemory } from './lib/load.ts';
import { cpuOf, postgresPids } from './lib/machine.ts';
import { serverEnv } from './story-page.ts';

// The newsletter budget: 100,000 recipients rendered per person and delivered over SMTP to a
// local sink (its own process) by the real worker in a real server process, in under 30 s; then
// the same again with the sending process killed (SIGKILL) about half way and started again,
// counting duplicates (a Message-ID delivered twice) and omissions (a recipient never delivered).

export type NewsletterRun = {
  recipients: number;
  // CPU seconds spent by the sending server, the SMTP sink and PostgreSQL during the send.
  cpuSec: { sender: number; sink: number; postgres: number };
  snapshotMs: number;
  durationSec: number;
  perSec: number;
  delivered: number;
  duplicates: number;
  omissions: number;
  peakRssMb: number;
};
export type NewsletterKillRun = NewsletterRun & {
  deliveredAtKill: number;
  recordedSentAtKill: number;
  // Accepted by the sink but not yet recorded as sent when the process died: the messages in
  // flight at that instant, which the restarted process sends again (same Message-ID).
  inFlightAtKill: number;
  restartToDoneSec: number;
};
export type NewsletterBenchResult =
  { skipped: string } | { database: string; send: NewsletterRun; killed: NewsletterKillRun; totalSec: number };

export type NewsletterBenchOptions = {
  root: string;
  log: (msg: string) => void;
  recipients?: number;
  killAt?: number;
  timeoutSec?: number;
};

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchNewsletter(o: NewsletterBenchOptions): Promise<NewsletterBenchResult> {
  const began = performance.now();
  const recipients = o.recipients ?? 100_000;
  const killAt = o.killAt ?? 0.5;
  const timeoutMs = (o.timeoutSec ?? 150) * 1000;
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? LOCAL_POSTGRES;
  if (!/^postgres(ql)?:\/\//.test(adminUrl)) return { skipped: 'no PostgreSQL address (set TEST_DATABASE_URL)' };
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `PostgreSQL is not reachable (${(err as Error).message})` };
  }
  const name = `coproduce_bench_nl_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const forget = onCleanup(async () => {
    const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let database: DbHandle | undefined;
  const children: Child[] = [];

  try {
    database = await openDatabase({ databaseUrl, poolSize: 4 });
    await runMigrations(database);
    const seedStart = performance.now();
    await seedSubscribers(database, recipients);
    o.log(
      `newsletter: ${recipients.toLocaleString('en-GB')} subscribers seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const [smtpPort, sinkHttpPort, appPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const sink = spawnNode(
      ['scripts/bench/newsletter-sink.ts'],
      { ...process.env, SINK_SMTP_PORT: String(smtpPort), SINK_HTTP_PORT: String(sinkHttpPort) },
      o.root,
    );
    children.push(sink);
    const sinkUrl = `http://127.0.0.1:${sinkHttpPort}`;
    await waitFor200(`${sinkUrl}/stats`, sink, 10_000);
    const stats = async () => (await (await fetch(`${sinkUrl}/stats`)).json()) as { received: number; unique: number };

    const appUrl = `http://127.0.0.1:${appPort}`;
    const env = serverEnv({
      PORT: String(appPort),
      BASE_URL: appUrl,
      DATABASE_URL: databaseUrl,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}?maxConnections=24`,
      NEWSLETTER_RATE: '0',
      MAIL_FROM: 'Bench <bench@127.0.0.1>',
    });
    const startServer = async () => {
      const child = spawnNode(appServerArgs(), env, o.root);
      children.push(child);
      await waitFor200(`${appUrl}/healthz`, child, 20_000);
      return child;
    };

    // Run 1: the whole send, uninterrupted.
    let server = await startServer();
    let memory = sampleMemory(server.pid);
    const first = await startSend(env, database, 'Bench newsletter');
    const t0 = performance.now();
    const cpu0 = { sender: cpuOf([server.pid]), sink: cpuOf([sink.pid]), postgres: cpuOf(postgresPids()) };
    await waitUntil(async () => (await statusOf(database!, first.id)) === 'sent', timeoutMs, server);
    const firstSec = (performance.now() - t0) / 1000;
    const cpuSec = {
      sender: cpuOf([server.pid]) - cpu0.sender,
      sink: cpuOf([sink.pid]) - cpu0.sink,
      postgres: cpuOf(postgresPids()) - cpu0.postgres,
    };
    const firstPeak = memory.stop().peakHwmMb;
    const firstCheck = await check(database, first.id, sinkUrl);
    const send: NewsletterRun = {
      recipients: first.recipients,
      cpuSec,
      snapshotMs: first.snapshotMs,
      durationSec: firstSec,
      perSec: first.recipients / firstSec,
      delivered: firstCheck.delivered,
      duplicates: firstCheck.duplicates,
      omissions: firstCheck.omissions,
      peakRssMb: firstPeak,
    };
    o.log(
      `newsletter: ${send.delivered} delivered in ${firstSec.toFixed(1)} s (${send.perSec.toFixed(0)}/s), duplicates ${send.duplicates}, omissions ${send.omissions}; CPU s: sender ${cpuSec.sender.toFixed(1)}, sink ${cpuSec.sink.toFixed(1)}, PostgreSQL ${cpuSec.postgres.toFixed(1)}`,
    );

    // Run 2: SIGKILL the sending process about half way, start it again, let it finish.
    await fetch(`${sinkUrl}/reset`, { method: 'POST' });
    memory = sampleMemory(server.pid);
    const second = await startSend(env, database, 'Bench newsletter, interrupted');
    const t1 = performance.now();
    const cpu1 = { sender: cpuOf([server.pid]), sink: cpuOf([sink.pid]), postgres: cpuOf(postgresPids()) };
    await waitUntil(async () => (await stats()).received >= recipients * killAt, timeoutMs, server);
    const senderCpuBeforeKill = cpuOf([server.pid]) - cpu1.sender;
    server.proc.kill('SIGKILL');
    await server.exited;
    const deliveredAtKill = (await stats()).received;
    await sleep(300);
    const recordedSentAtKill = await sentCount(database, second.id);
    const settled = (await stats()).received;
    let peak = memory.stop().peakHwmMb;
    o.log(`newsletter: killed the sender after ${deliveredAtKill} deliveries (${recordedSentAtKill} recorded as sent); restarting`);
    const restartedAt = performance.now();
    server = await startServer();
    const cpu2 = cpuOf([server.pid]);
    memory = sampleMemory(server.pid);
    await waitUntil(async () => (await statusOf(database!, second.id)) === 'sent', timeoutMs, server);
    const restartToDoneSec = (performance.now() - restartedAt) / 1000;
    const secondSec = (performance.now() - t1) / 1000;
    peak = Math.max(peak, memory.stop().peakHwmMb);
    const cpuSec2 = {
      sender: senderCpuBeforeKill + cpuOf([server.pid]) - cpu2,
      sink: cpuOf([sink.pid]) - cpu1.sink,
      postgres: cpuOf(postgresPids()) - cpu1.postgres,
    };
    const secondCheck = await check(database, second.id, sinkUrl);
    const killed: NewsletterKillRun = {
      recipients: second.recipients,
      cpuSec: cpuSec2,
      snapshotMs: second.snapshotMs,
      durationSec: secondSec,
      perSec: second.recipients / secondSec,
      delivered: secondCheck.delivered,
      duplicates: secondCheck.duplicates,
      omissions: secondCheck.omissions,
      peakRssMb: peak,
      deliveredAtKill,
      recordedSentAtKill,
      inFlightAtKill: settled - recordedSentAtKill,
      restartToDoneSec,
    };
    o.log(
      `newsletter (killed and restarted): duplicates ${killed.duplicates}, omissions ${killed.omissions}, in flight at the kill ${killed.inFlightAtKill}`,
    );
    await server.stop();
    await sink.stop();
    return { database: 'PostgreSQL', send, killed, totalSec: (performance.now() - began) / 1000 };
  } finally {
    for (const c of children) await c.stop(2000);
    await database?.close();
    const drop = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    await drop.connect();
    await drop.query(`drop database if exists ${name} with (force)`);
    await drop.end();
    forget();
  }
}

// Subscribers in one statement each: generate_series makes every row inside PostgreSQL.
export async function seedSubscribers(database: DbHandle, n: number) {
  await database.pool!.query(`insert into newsletter_topics (name) values ('News and stories')`);
  await database.pool!.query(
    `insert into newsletter_subscribers (email, name, status, consented_at, source)
     select 'reader' || g || '@bench.example', case when g % 2 = 0 then 'Reader ' || g end, 'active', now(), 'bench'
     from generate_series(1, $1::int) g`,
    [n],
  );
  await database.pool!.query(`insert into newsletter_subscriber_topics (subscriber_id, topic_id) select id, 1 from newsletter_subscribers`);
}

// The staff "Send" action, through the app's own service: snapshot, status and queue job in one
// transaction. The server process's worker picks the job up.
export async function startSend(env: NodeJS.ProcessEnv, database: DbHandle, subject: string) {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database, startJobs: false });
  await app.ready();
  await app.services.queue.start();
  const body = `## ${subject}\n\n${'Thank you to everyone who came to our open day. Here is what we heard, and what we will do next. '.repeat(8)}\n\n* Travel is paid in advance\n* Meetings move online\n\n[Read the full report](https://example.org/report)`;
  const id = await app.services.newsletters.campaigns.create({ subject, body, topicIds: [] }, null);
  const t = performance.now();
  const result = await app.services.newsletters.campaigns.send(id, null);
  const snapshotMs = performance.now() - t;
  await app.close();
  if (result.kind !== 'started') throw new Error(`send did not start: ${result.kind}`);
  return { id, recipients: result.recipients, snapshotMs };
}

export const statusOf = async (database: DbHandle, id: number) =>
  (await database.db.select({ s: newsletters.status }).from(newsletters).where(eq(newsletters.id, id)))[0]?.s;
const sentCount = async (database: DbHandle, id: number) =>
  Number(
    (
      await database.db
        .select({ n: sql<number>`count(*)` })
        .from(newsletterRecipients)
        .where(sql`${newsletterRecipients.newsletterId} = ${id} and ${newsletterRecipients.status} = 'sent'`)
    )[0]?.n ?? 0,
  );

async function waitUntil(done: () => Promise<boolean>, timeoutMs: number, server: Child) {
  const until = performance.now() + timeoutMs;
  while (!(await done())) {
    if (server.proc.exitCode !== null) throw new Error(`the server exited early:\n${server.output()}`);
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s:\n${server.output()}`);
    await sleep(50);
  }
}

// Compares what the sink received with the recipient list: every recipient's Message-ID once.
export async function check(database: DbHandle, id: number, sinkUrl: string) {
  const lines = (await (await fetch(`${sinkUrl}/ids`)).text()).split('\n').filter(Boolean);
  const seen = new Map(lines.map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]));
  const rows = await database.db
    .select({ sid: newsletterRecipients.subscriberId })
    .from(newsletterRecipients)
    .where(eq(newsletterRecipients.newsletterId, id));
  let duplicates = 0;
  let omissions = 0;
  let delivered = 0;
  for (const { sid } of rows) {
    const n = seen.get(`<newsletter-${id}-${sid}@127.0.0.1>`) ?? 0;
    if (n === 0) omissions++;
    else delivered++;
    if (n > 1) duplicates += n - 1;
  }
  return { delivered, duplicates, omissions };
}

// Rows for the bench table: the budget (100,000 in < 30 s, issue 10; no omissions, and no duplicates
// beyond the messages in flight at a kill, which carry the same Message-ID: the engineering guide's
// budget) and the figures that explain it.
export const newsletterBudgets = { sendSec: 30, duplicates: 1, omissions: 1 };
export function newsletterRows(r: NewsletterBenchResult): Row[] {
  if ('skipped' in r) return [skippedRow('newsletter to 100,000 recipients', r.skipped)];
  const n = r.send.recipients.toLocaleString('en-GB');
  return [
    budgetRow(`newsletter to ${n} recipients, SMTP sink`, r.send.durationSec, 's', 'max', newsletterBudgets.sendSec, 1),
    infoRow('newsletter messages/s; peak RSS of the sending server', `${fmt(r.send.perSec, 0)}/s; ${fmt(r.send.peakRssMb, 0)} MB`),
    infoRow(
      'newsletter CPU: sender / sink / PostgreSQL',
      `${fmt(r.send.cpuSec.sender)} / ${fmt(r.send.cpuSec.sink)} / ${fmt(r.send.cpuSec.postgres)} s`,
    ),
    infoRow('newsletter, uninterrupted: duplicates / omissions', `${r.send.duplicates} / ${r.send.omissions}`),
    budgetRow(
      'newsletter killed (SIGKILL) half way and restarted: omissions',
      r.killed.omissions,
      '',
      'max',
      newsletterBudgets.omissions,
      0,
    ),
    budgetRow(
      'newsletter killed half way: duplicates beyond those in flight at the kill',
      Math.max(0, r.killed.duplicates - r.killed.inFlightAtKill),
      '',
      'max',
      newsletterBudgets.duplicates,
      0,
    ),
    infoRow('newsletter killed half way and restarted: duplicates (same Message-ID)', String(r.killed.duplicates)),
    infoRow(
      'newsletter kill: delivered / recorded sent / in flight',
      `${r.killed.deliveredAtKill} / ${r.killed.recordedSentAtKill} / ${r.killed.inFlightAtKill} (repeats carry the same Message-ID); restart to done ${fmt(r.killed.restartToDoneSec)} s`,
    ),
  ];
}

// `node scripts/bench/newsletter.ts [recipients]` runs this part on its own.
if (import.meta.main) {
  installExitHandlers();
  const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
  const root = new URL('../../', import.meta.url).pathname;
  benchNewsletter({ root, log, recipients: Number(process.argv[2] ?? 100_000) })
    .then(async (r) => {
      printTable(newsletterRows(r));
      await cleanupAll();
    })
    .catch(async (err: unknown) => {
      console.error('newsletter bench failed:', err);
      await cleanupAll();
      process.exit(1);
    });
}
