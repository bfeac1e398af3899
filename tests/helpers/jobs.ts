// Queue workers poll for jobs every second (src/platform/jobs/queue.ts callers); a test that waits
// for an email or an import would spend most of its time waiting for the next poll. In tests,
// every pg-boss instance started in this process is remembered, and its workers are woken (asked
// to fetch now, pg-boss's own `notifyWorker`) just after a job is sent and while a test waits. The
// workers, the jobs and the code paths are the real ones: only the idle time between polls goes.
import { PgBoss } from 'pg-boss';

const running = new Set<PgBoss>();

// A job sent inside a transaction is visible only once the caller commits, a moment later: wake
// the workers again after short delays rather than once. The one-second poll remains the backstop.
const wakeDelaysMs = [0, 5, 20, 60, 150];

export function wakeWorkers(queueName?: string) {
  for (const boss of running) {
    for (const worker of boss.getWipData()) if (!queueName || worker.name === queueName) boss.notifyWorker(worker.id);
  }
}

function wakeSoon(queueName: string) {
  for (const ms of wakeDelaysMs) setTimeout(() => wakeWorkers(queueName), ms).unref();
}

type Method = (this: PgBoss, ...args: unknown[]) => Promise<unknown>;

// Replaces a PgBoss method with one that calls the original, then `after`.
function wrap(name: 'start' | 'stop' | 'send' | 'insert', after: (boss: PgBoss, args: unknown[]) => void) {
  const original = Reflect.get(PgBoss.prototype, name) as Method;
  const wrapped: Method = async function (this: PgBoss, ...args: unknown[]) {
    if (name === 'stop') running.delete(this);
    const result = await original.apply(this, args);
    after(this, args);
    return result;
  };
  Reflect.set(PgBoss.prototype, name, wrapped);
}

// The queue's name: send(name, …), send({ name, … }) or insert(name, …).
const queueOf = (args: unknown[]) => (typeof args[0] === 'string' ? args[0] : (args[0] as { name: string }).name);

let installed = false;
export function wakeWorkersOnSend() {
  if (installed) return;
  installed = true;
  wrap('start', (boss) => running.add(boss));
  wrap('stop', () => {});
  wrap('send', (_boss, args) => wakeSoon(queueOf(args)));
  wrap('insert', (_boss, args) => wakeSoon(queueOf(args)));
}
