// Queue workers poll for jobs every second. Work sent through the app's queue wakes that app's
// workers at once (src/platform/jobs/queue.ts), but a test that waits for something else a worker
// will pick up (a retry, a job made by another app) would still wait for the next poll. So every
// pg-boss instance started in this process is remembered, and `waitFor` (smtp.ts) wakes their
// workers while it waits (pg-boss's own `notifyWorker`). The workers, the jobs and the code paths
// are the real ones: only the idle time between polls goes.
import { PgBoss } from 'pg-boss';

const running = new Set<PgBoss>();

export function wakeWorkers(queueName?: string) {
  for (const boss of running) {
    for (const worker of boss.getWipData()) if (!queueName || worker.name === queueName) boss.notifyWorker(worker.id);
  }
}

type Method = (this: PgBoss, ...args: unknown[]) => Promise<unknown>;

// Replaces a PgBoss method with one that calls the original, then `after`.
function wrap(name: 'start' | 'stop', after: (boss: PgBoss) => void) {
  const original = Reflect.get(PgBoss.prototype, name) as Method;
  const wrapped: Method = async function (this: PgBoss, ...args: unknown[]) {
    if (name === 'stop') running.delete(this);
    const result = await original.apply(this, args);
    after(this);
    return result;
  };
  Reflect.set(PgBoss.prototype, name, wrapped);
}

let installed = false;
export function rememberQueues() {
  if (installed) return;
  installed = true;
  wrap('start', (boss) => running.add(boss));
  wrap('stop', () => {});
}
