import type { DbHandle } from '#src/db/client.ts';
import type { Log } from '#src/lib/log.ts';
import type { NewsletterRenderer } from '#src/features/newsletters/render.ts';
import type { BulkTransport } from './bulk-transport.ts';
import { createSendClaims } from './claim.ts';
import { deliverAll, type DeliveryDeps } from './delivery.ts';
import { defaultSenderOptions, type SenderOptions } from './options.ts';
import { createSendingRepository } from './repository.ts';

// Sends newsletters in the background. The recipient rows say how far each send got, so any
// process can pick one up where another stopped; claim.ts keeps it to one process at a time.
export function createSender(deps: {
  database: DbHandle;
  renderer: NewsletterRenderer;
  transport: BulkTransport;
  log: Log;
  options?: Partial<SenderOptions>;
}) {
  const { renderer, log } = deps;
  const repo = createSendingRepository(deps.database.db);
  const opts = { ...defaultSenderOptions, ...deps.options };
  const claim = createSendClaims(deps.database);
  const running = new Map<number, Promise<void>>();
  let stopping = false;
  const delivery: DeliveryDeps = { repo, transport: deps.transport, log, opts, stopping: () => stopping };

  async function send(id: number) {
    const release = await claim(id);
    if (!release) return;
    try {
      const n = await repo.newsletter(id);
      if (!n || n.status !== 'sending') return;
      await deliverAll(delivery, id, await renderer.prepareVersions(n));
    } finally {
      await release();
    }
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
      const rows = await repo.sendingIds();
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
