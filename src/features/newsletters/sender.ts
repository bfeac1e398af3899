import { and, asc, eq, gt, inArray, lte, min, sql } from 'drizzle-orm';
import type { Db, DbHandle } from '#src/db/client.ts';
import type { BulkTransport } from './bulk-transport.ts';
import { classifyFailure } from './bulk-transport.ts';
import type { NewsletterRenderer, PreparedNewsletter } from './render.ts';
import { newsletterRecipients, newsletterSubscribers, newsletters } from './tables.ts';

type Log = { error: (obj: unknown, msg?: string) => void; warn: (obj: unknown, msg?: string) => void };

export type SenderOptions = {
  // Messages per second; 0 sends as fast as the SMTP server accepts them.
  rate: number;
  // Messages handed to the transport at once; 0 lets the transport say (two per SMTP connection).
  concurrency: number;
  // A person whose server said "try later" (4xx) is tried this many times in all, waiting
  // retryBaseMs, then twice as long each time, before being marked failed.
  maxAttempts: number;
  retryBaseMs: number;
  pageSize: number;
};
export const defaultSenderOptions: SenderOptions = { rate: 0, concurrency: 0, maxAttempts: 5, retryBaseMs: 60_000, pageSize: 500 };

// Session-level advisory lock key space for "this newsletter is being sent by some process".
const LOCK_SPACE = 0x4e4c;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Newsletters being sent from this process, per database: two app instances in one process
// (tests, tools) must not send the same newsletter side by side either.
const claimedByDatabase = new WeakMap<DbHandle, Set<number>>();

// Recipient rows change state the moment the SMTP server answers: each acceptance is written at
// once on one of a few connections, and acceptances that arrive while all of those are busy go
// together in the next statement. A message keeps its place among those in flight until its row
// says sent, so however slow the database gets, a crash can only find that many messages
// accepted but unrecorded (the ones it will send again).
function createMarks(db: Db, lanes = 3) {
  let waiting: { id: number; done: () => void }[] = [];
  const active = new Set<Promise<void>>();
  let failure: Error | null = null;
  async function write(batch: { id: number; done: () => void }[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        const ids = batch.map((b) => b.id);
        await db
          .update(newsletterRecipients)
          .set({ status: 'sent', sentAt: new Date(), lastError: null })
          .where(inArray(newsletterRecipients.id, ids));
        break;
      } catch (err) {
        if (attempt >= 5) {
          failure = err instanceof Error ? err : new Error('could not record sent newsletter messages');
          break;
        }
        await sleep(200 * attempt);
      }
    }
    for (const b of batch) b.done();
  }
  async function lane() {
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      await write(batch);
    }
  }
  return {
    sent(id: number): Promise<void> {
      const recorded = new Promise<void>((done) => waiting.push({ id, done }));
      if (active.size < lanes) {
        const p: Promise<void> = lane().finally(() => active.delete(p));
        active.add(p);
      }
      return recorded;
    },
    get failed() {
      return failure !== null;
    },
    async flush() {
      while (active.size) await Promise.all(active);
      if (failure) throw failure;
    },
  };
}

export function createSender(deps: {
  db: Db;
  database: DbHandle;
  renderer: NewsletterRenderer;
  transport: BulkTransport;
  log: Log;
  options?: Partial<SenderOptions>;
}) {
  const { db, database, renderer, transport, log } = deps;
  const opts = { ...defaultSenderOptions, ...deps.options };
  const running = new Map<number, Promise<void>>();
  let stopping = false;
  let claimed = claimedByDatabase.get(database);
  if (!claimed) claimedByDatabase.set(database, (claimed = new Set()));
  const local = claimed;

  // Only one process may send a given newsletter. On PostgreSQL a session-level advisory lock on
  // a dedicated connection says so, and is released by the server the instant that process
  // dies (kill -9 included); PGlite is one process, so the in-process claim is enough there.
  async function lock(id: number): Promise<null | (() => Promise<void>)> {
    if (local.has(id)) return null;
    local.add(id);
    const unclaim = () => local.delete(id);
    if (!database.pool) return async () => void unclaim();
    let client;
    try {
      client = await database.pool.connect();
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [LOCK_SPACE, id]);
      if (!rows[0]?.ok) {
        client.release();
        unclaim();
        return null;
      }
    } catch (err) {
      client?.release(true);
      unclaim();
      throw err;
    }
    const held = client;
    return async () => {
      try {
        await held.query('select pg_advisory_unlock($1, $2)', [LOCK_SPACE, id]);
        held.release();
      } catch {
        held.release(true);
      } finally {
        unclaim();
      }
    };
  }

  const statusOf = async (id: number) =>
    (await db.select({ status: newsletters.status }).from(newsletters).where(eq(newsletters.id, id)))[0]?.status;

  async function send(id: number) {
    const unlock = await lock(id);
    if (!unlock) return;
    try {
      const [n] = await db.select().from(newsletters).where(eq(newsletters.id, id));
      if (!n || n.status !== 'sending') return;
      await deliverAll(id, await renderer.prepare(n));
    } finally {
      await unlock();
    }
  }

  async function deliverAll(id: number, prepared: PreparedNewsletter) {
    const marks = createMarks(db);
    const inflight = new Set<Promise<void>>();
    let cursor = 0;
    let lastCheck = 0;
    let active = true;
    let connectionFailures = 0;
    let pauseUntil = 0;
    let allowance = 0;
    let lastRefill = performance.now();

    const keepGoing = async () => {
      // If acceptances cannot be recorded, sending more would only make more to repeat later.
      if (stopping || !active || marks.failed) return false;
      if (performance.now() - lastCheck > 500) {
        lastCheck = performance.now();
        active = (await statusOf(id)) === 'sending';
      }
      return active && !stopping;
    };

    // A token bucket: at most `rate` messages a second, with bursts of a tenth of a second.
    const throttle = async () => {
      if (!opts.rate) return;
      for (;;) {
        const t = performance.now();
        allowance = Math.min(Math.max(1, opts.rate / 10), allowance + ((t - lastRefill) * opts.rate) / 1000);
        lastRefill = t;
        if (allowance >= 1) {
          allowance -= 1;
          return;
        }
        await sleep(((1 - allowance) * 1000) / opts.rate);
      }
    };

    const deliver = async (r: { id: number; subscriberId: number; email: string; name: string | null; attempts: number }) => {
      try {
        await transport.send(prepared.frame, prepared.subject, prepared.personalise(r));
        connectionFailures = 0;
        await marks.sent(r.id);
      } catch (err) {
        const message = String((err as Error).message ?? err).slice(0, 500);
        const kind = classifyFailure(err);
        if (kind === 'connection') {
          // Not this person's fault: leave them waiting and slow the whole send down.
          connectionFailures++;
          pauseUntil = Date.now() + Math.min(60_000, 500 * 2 ** Math.min(connectionFailures, 7));
          if (connectionFailures === 1 || connectionFailures % 10 === 0)
            log.warn({ err, newsletterId: id }, 'newsletter: SMTP server unavailable, backing off');
          return;
        }
        const attempts = r.attempts + 1;
        const final = kind === 'permanent' || attempts >= opts.maxAttempts;
        await db
          .update(newsletterRecipients)
          .set({
            attempts,
            lastError: message,
            status: final ? 'failed' : 'pending',
            nextAttemptAt: new Date(Date.now() + opts.retryBaseMs * 2 ** (attempts - 1)),
          })
          .where(eq(newsletterRecipients.id, r.id));
      }
    };

    try {
      while (await keepGoing()) {
        const page = await db
          .select({
            id: newsletterRecipients.id,
            subscriberId: newsletterRecipients.subscriberId,
            email: newsletterRecipients.email,
            name: newsletterRecipients.name,
            attempts: newsletterRecipients.attempts,
            subscriberStatus: newsletterSubscribers.status,
          })
          .from(newsletterRecipients)
          .innerJoin(newsletterSubscribers, eq(newsletterSubscribers.id, newsletterRecipients.subscriberId))
          .where(
            and(
              eq(newsletterRecipients.newsletterId, id),
              eq(newsletterRecipients.status, 'pending'),
              gt(newsletterRecipients.id, cursor),
              lte(newsletterRecipients.nextAttemptAt, new Date()),
            ),
          )
          .orderBy(asc(newsletterRecipients.id))
          .limit(opts.pageSize);

        if (!page.length) {
          // End of a pass: settle everything, then finish, rescan for retries now due, or wait.
          await Promise.all(inflight);
          await marks.flush();
          if (cursor > 0) {
            cursor = 0;
            continue;
          }
          const [next] = await db
            .select({ at: min(newsletterRecipients.nextAttemptAt) })
            .from(newsletterRecipients)
            .where(and(eq(newsletterRecipients.newsletterId, id), eq(newsletterRecipients.status, 'pending')));
          if (!next?.at) {
            await complete(id);
            return;
          }
          await sleep(Math.max(50, Math.min(1000, new Date(next.at).getTime() - Date.now())));
          continue;
        }

        // People who unsubscribed, bounced or complained since the list was taken get nothing.
        const gone = page.filter((r) => r.subscriberStatus !== 'active').map((r) => r.id);
        if (gone.length) {
          await db.update(newsletterRecipients).set({ status: 'skipped' }).where(inArray(newsletterRecipients.id, gone));
        }
        for (const r of page) {
          cursor = r.id;
          if (r.subscriberStatus !== 'active') continue;
          if (!(await keepGoing())) break;
          if (pauseUntil > Date.now()) {
            await Promise.all(inflight);
            await sleep(pauseUntil - Date.now());
          }
          await throttle();
          while (inflight.size >= (opts.concurrency || transport.capacity)) await Promise.race(inflight);
          const p: Promise<void> = deliver(r).finally(() => inflight.delete(p));
          inflight.add(p);
        }
      }
    } finally {
      await Promise.allSettled(inflight);
      await marks.flush();
    }
  }

  async function complete(id: number) {
    await db
      .update(newsletters)
      .set({ status: 'sent', completedAt: new Date(), updatedAt: new Date() })
      .where(
        and(
          eq(newsletters.id, id),
          eq(newsletters.status, 'sending'),
          sql`not exists (select 1 from ${newsletterRecipients} where ${newsletterRecipients.newsletterId} = ${id} and ${newsletterRecipients.status} = 'pending')`,
        ),
      );
  }

  const sender = {
    isRunning: (id: number) => running.has(id),
    // For tests and the bench: change the pace or retry timing of sends started from now on.
    tune(changes: Partial<SenderOptions>) {
      Object.assign(opts, changes);
    },

    // Starts sending in the background unless this process already is. Errors are logged; the
    // sweep tries again later, picking up exactly where the recipient rows say it stopped.
    kick(id: number): Promise<void> {
      const existing = running.get(id);
      if (existing || stopping) return existing ?? Promise.resolve();
      const p = send(id)
        .catch((err: unknown) => log.error({ err, newsletterId: id }, 'newsletter send stopped by an error; it will resume'))
        .finally(() => running.delete(id));
      running.set(id, p);
      return p;
    },

    // Resumes every newsletter that should be sending but is not (after a restart or a crash).
    async sweep(): Promise<void> {
      if (stopping) return;
      const rows = await db.select({ id: newsletters.id }).from(newsletters).where(eq(newsletters.status, 'sending'));
      for (const { id } of rows) if (!running.has(id)) void sender.kick(id);
    },

    // Stops handing out messages, lets those in flight finish and records them.
    async stop(): Promise<void> {
      stopping = true;
      await Promise.allSettled([...running.values()]);
    },
  };
  return sender;
}
export type Sender = ReturnType<typeof createSender>;
