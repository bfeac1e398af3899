import { PgBoss, fromDrizzle, fromPglite } from 'pg-boss';
import type { Job, SendOptions } from 'pg-boss';
import { sql } from 'drizzle-orm';
import type { DbHandle, Db, Tx } from '#src/db/client.ts';
import type { Log } from '#src/lib/log.ts';

// After a send, when this instance's workers of that queue are woken (milliseconds): see wakeSoon.
const WAKE_AFTER_MS = [0, 5, 20, 60, 150];

// One durable job queue (pg-boss) on the same database as everything else: on PostgreSQL it opens
// its own small pool; on PGlite it shares the single embedded connection through pg-boss's adapter.
export function createQueue(handle: DbHandle, log: Pick<Log, 'error'>) {
  const boss =
    handle.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(handle.pglite!), backend: 'pglite', schedule: false })
      : new PgBoss({ connectionString: handle.url!, max: 4, schedule: false });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  let started = false;
  const queues = new Set<string>();

  // Work sent from this instance starts here at once, not at the workers' next poll (a second): a
  // sign-in link leaves within milliseconds of being asked for. A job sent inside a transaction is
  // seen only once the caller commits, so the queue's workers on this instance are woken (pg-boss's
  // notifyWorker, which does nothing to a busy worker) a few times over the next 150 ms; sends in
  // the meantime share that round, and start one more after it. Other instances find the work at
  // their next poll, as before.
  const workerIds = new Map<string, string[]>();
  const rounds = new Map<string, { again: boolean }>();
  const timers = new Set<NodeJS.Timeout>();
  const wakeSoon = (name: string) => {
    if (!workerIds.has(name) || !started) return;
    const current = rounds.get(name);
    if (current) return void (current.again = true);
    const round = { again: false };
    rounds.set(name, round);
    WAKE_AFTER_MS.forEach((ms, i) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        for (const id of workerIds.get(name) ?? []) boss.notifyWorker(id);
        if (i < WAKE_AFTER_MS.length - 1) return;
        rounds.delete(name);
        if (round.again) wakeSoon(name);
      }, ms);
      timer.unref();
      timers.add(timer);
    });
  };

  return {
    boss,
    get started() {
      return started;
    },
    async start() {
      if (started) return;
      await boss.start();
      started = true;
    },
    async stop() {
      if (!started) return;
      started = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      rounds.clear();
      await boss.stop({ graceful: true, timeout: 5000 });
    },
    async ensureQueue(name: string) {
      if (queues.has(name)) return;
      await boss.createQueue(name);
      queues.add(name);
    },
    // Enqueue inside the caller's transaction when one is given, so the job exists if and only
    // if the change that asked for it was committed.
    async send(name: string, data: object, options: SendOptions & { tx?: Db | Tx } = {}) {
      const { tx, ...rest } = options;
      const db = tx ? fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) : undefined;
      const id = await boss.send(name, data, { ...rest, ...(db ? { db } : {}) });
      wakeSoon(name);
      return id;
    },
    async work<T extends object>(
      name: string,
      options: { batchSize?: number; pollingIntervalSeconds?: number },
      handler: (jobs: Job<T>[]) => Promise<void>,
    ) {
      await this.ensureQueue(name);
      const id = await boss.work<T>(name, options, handler);
      workerIds.set(name, [...(workerIds.get(name) ?? []), id]);
      return id;
    },
  };
}
export type Queue = ReturnType<typeof createQueue>;
