import { PgBoss, fromDrizzle, fromPglite } from 'pg-boss';
import type { Job, SendOptions } from 'pg-boss';
import { sql } from 'drizzle-orm';
import type { DbHandle, Db, Tx } from '#src/db/client.ts';
import type { Log } from '#src/lib/log.ts';

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
      return boss.send(name, data, { ...rest, ...(db ? { db } : {}) });
    },
    async work<T extends object>(
      name: string,
      options: { batchSize?: number; pollingIntervalSeconds?: number },
      handler: (jobs: Job<T>[]) => Promise<void>,
    ) {
      await this.ensureQueue(name);
      return boss.work<T>(name, options, handler);
    },
  };
}
export type Queue = ReturnType<typeof createQueue>;
