import { afterAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { loadConfig, type Config } from '#src/config.ts';
import { buildApp } from '#src/app.ts';
import { openTestDatabase, testDbKind } from '#tests/helpers/database.ts';
import { openDatabase } from '#src/db/client.ts';
import { newsletterRecipients, newsletters } from './tables.ts';
import { addTopics, startSmtpSink, waitFor } from './test-support.ts';

// Two app instances, one after the other, on the same database: what a restart looks like.
describe('a send interrupted by a restart', async () => {
  const sink = await startSmtpSink({ delayMs: 10 });
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' }),
    smtpUrl: sink.url,
  };
  const database = await openTestDatabase();
  const first = await buildApp({ config, database });
  await first.ready();
  let second: typeof first | undefined;
  afterAll(async () => {
    await first.close();
    await second?.close();
    await database.close();
  });
  const { db } = database;
  const people = Array.from({ length: 60 }, (_, i) => `r${String(i).padStart(2, '0')}@example.net`);
  const [topic] = await addTopics(first, ['News']);
  await first.services.newsletters.admin.importCsv(
    `email,topics,consented_at,source\n${people.map((p) => `${p},News,2026-01-01,Event`).join('\n')}\n`,
    { filename: 'p.csv', staffUserId: null },
  );
  first.services.newsletters.sender.tune({ rate: 50, concurrency: 2 });
  const statusOf = async (id: number) => (await db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.status;

  let id = 0;
  it('resumes after the process stops part way, sending to everyone exactly once', async () => {
    id = await first.services.newsletters.campaigns.create({ subject: 'Interrupted', body: 'Hello', topicIds: [topic] }, null);
    await first.services.newsletters.campaigns.send(id, null);
    await waitFor(() => sink.delivered.length >= 10);
    await first.close();
    const atStop = sink.delivered.length;
    expect(atStop).toBeLessThan(60);
    expect(await statusOf(id)).toBe('sending');
    const pending = await db
      .select()
      .from(newsletterRecipients)
      .where(and(eq(newsletterRecipients.newsletterId, id), eq(newsletterRecipients.status, 'pending')));
    expect(pending.length).toBe(60 - atStop);

    // The new process finds the unfinished send at start and carries on from where it stopped.
    second = await buildApp({ config, database });
    await second.ready();
    await waitFor(async () => (await statusOf(id)) === 'sent');
    expect(sink.delivered.flatMap((m) => m.to).sort()).toEqual(people);
    const ids = sink.delivered.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(60);
  });

  it('repeats a message caught in flight by a crash with the same Message-ID, so receivers can drop the copy', async () => {
    // The one window no sender can close: the SMTP server accepted the message, then the process
    // died before recording it. The recipient row still says pending, as here.
    const [victim] = await db.select().from(newsletterRecipients).where(eq(newsletterRecipients.email, 'r30@example.net'));
    await db.update(newsletterRecipients).set({ status: 'pending' }).where(eq(newsletterRecipients.id, victim!.id));
    await db.update(newsletters).set({ status: 'sending' }).where(eq(newsletters.id, id));
    await second!.services.newsletters.sender.sweep();
    await waitFor(async () => (await statusOf(id)) === 'sent');
    const copies = sink.to('r30@example.net');
    expect(copies).toHaveLength(2);
    expect(copies[0]!.messageId).toBe(copies[1]!.messageId);
    expect(sink.delivered).toHaveLength(61);
  });
});

// Several app processes may share one PostgreSQL; only one of them may send a given newsletter.
describe('two instances asked to send the same newsletter at once', async () => {
  const sink = await startSmtpSink({ delayMs: 5 });
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' }),
    smtpUrl: sink.url,
  };
  const database = await openTestDatabase();
  // On PostgreSQL the second instance has its own connection pool, as a second process would.
  const otherDatabase = testDbKind === 'postgres' ? await openDatabase({ databaseUrl: database.url!, poolSize: 3 }) : database;
  const a = await buildApp({ config, database });
  const b = await buildApp({ config, database: otherDatabase });
  await a.ready();
  await b.ready();
  afterAll(async () => {
    await a.close();
    await b.close();
    if (otherDatabase !== database) await otherDatabase.close();
    await database.close();
  });
  const people = Array.from({ length: 40 }, (_, i) => `both${String(i).padStart(2, '0')}@example.net`);
  await addTopics(a, ['News']);
  await a.services.newsletters.admin.importCsv(
    `email,topics,consented_at,source\n${people.map((p) => `${p},News,2026-01-01,Event`).join('\n')}\n`,
    { filename: 'p.csv', staffUserId: null },
  );

  it('sends each message once', async () => {
    const id = await a.services.newsletters.campaigns.create({ subject: 'Both', body: 'Hello', topicIds: [] }, null);
    await a.services.newsletters.campaigns.send(id, null);
    await Promise.all([
      a.services.newsletters.sender.kick(id),
      b.services.newsletters.sender.kick(id),
      a.services.newsletters.sender.sweep(),
      b.services.newsletters.sender.sweep(),
    ]);
    await waitFor(async () => (await database.db.select().from(newsletters).where(eq(newsletters.id, id)))[0]!.status === 'sent');
    const ids = sink.delivered.map((m) => m.messageId);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(sink.delivered.flatMap((m) => m.to).sort()).toEqual(people);
  });
});
