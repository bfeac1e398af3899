import type { Log } from '#src/lib/log.ts';
import type { PreparedVersions } from '#src/features/newsletters/render.ts';
import { classifyFailure, type BulkTransport } from './bulk-transport.ts';
import { createMarks, type Marks } from './marks.ts';
import { sleep, type SenderOptions } from './options.ts';
import type { DueRecipient, SendingRepository } from './repository.ts';
import { createThrottle } from './throttle.ts';

export type DeliveryDeps = {
  repo: SendingRepository;
  transport: BulkTransport;
  log: Log;
  // The sender's options object itself, read at each use (tune() changes it in place).
  opts: SenderOptions;
  stopping: () => boolean;
};

// One newsletter's send in this process: where it has got to and how it is going.
type Run = {
  id: number;
  deps: DeliveryDeps;
  // Each language's version, rendered once; every recipient gets the one in their language.
  prepared: PreparedVersions;
  marks: Marks;
  inflight: Set<Promise<void>>;
  // Called as each message in flight settles: wakes handOut when it waits for a free place.
  slotFreed: () => void;
  throttle: () => Promise<void>;
  cursor: number;
  lastCheck: number;
  active: boolean;
  connectionFailures: number;
  pauseUntil: number;
};

// Hands a newsletter's waiting recipients to the transport page by page until none is left, it is
// paused, or this process stops; whichever way it ends, every message in flight is settled and its
// acceptance recorded before this returns.
export async function deliverAll(deps: DeliveryDeps, id: number, prepared: PreparedVersions): Promise<void> {
  const run: Run = {
    id,
    deps,
    prepared,
    marks: createMarks((recipientIds) => deps.repo.markSent(recipientIds)),
    inflight: new Set(),
    slotFreed: () => {},
    throttle: createThrottle(deps.opts),
    cursor: 0,
    lastCheck: 0,
    active: true,
    connectionFailures: 0,
    pauseUntil: 0,
  };
  try {
    while (await keepGoing(run)) {
      const page = await deps.repo.duePage(id, run.cursor, deps.opts.pageSize);
      if (page.length) await handOut(run, page);
      else if ((await endOfPass(run)) === 'done') return;
    }
  } finally {
    await Promise.allSettled(run.inflight);
    await run.marks.flush();
  }
}

async function keepGoing(run: Run): Promise<boolean> {
  // If acceptances cannot be recorded, sending more would only make more to repeat later.
  if (run.deps.stopping() || !run.active || run.marks.failed) return false;
  if (performance.now() - run.lastCheck > 500) {
    run.lastCheck = performance.now();
    run.active = (await run.deps.repo.statusOf(run.id)) === 'sending';
  }
  return run.active && !run.deps.stopping();
}

// End of a pass: settle everything, then finish, rescan for retries now due, or wait.
async function endOfPass(run: Run): Promise<'done' | 'again'> {
  await Promise.all(run.inflight);
  await run.marks.flush();
  if (run.cursor > 0) {
    run.cursor = 0;
    return 'again';
  }
  const next = await run.deps.repo.nextAttemptAt(run.id);
  if (!next) {
    await run.deps.repo.completeIfNonePending(run.id);
    return 'done';
  }
  await sleep(Math.max(50, Math.min(1000, new Date(next).getTime() - Date.now())));
  return 'again';
}

async function handOut(run: Run, page: DueRecipient[]): Promise<void> {
  const { opts, transport } = run.deps;
  // People who unsubscribed, bounced or complained since the list was taken get nothing.
  const gone = page.filter((r) => r.subscriberStatus !== 'active').map((r) => r.id);
  if (gone.length) await run.deps.repo.markSkipped(gone);
  for (const r of page) {
    run.cursor = r.id;
    if (r.subscriberStatus !== 'active') continue;
    if (!(await keepGoing(run))) break;
    if (run.pauseUntil > Date.now()) {
      await Promise.all(run.inflight);
      await sleep(run.pauseUntil - Date.now());
    }
    await run.throttle();
    // One waiter woken by whichever message settles first: Promise.race over every message in
    // flight would add a reaction to each of them for each message sent.
    while (run.inflight.size >= (opts.concurrency || transport.capacity)) await new Promise<void>((wake) => (run.slotFreed = wake));
    const p: Promise<void> = deliver(run, r).finally(() => {
      run.inflight.delete(p);
      run.slotFreed();
    });
    run.inflight.add(p);
  }
}

async function deliver(run: Run, r: DueRecipient): Promise<void> {
  const { repo, transport, opts, log } = run.deps;
  try {
    const version = run.prepared.for(r.language);
    await transport.send(version.frame, version.subject, version.personalise(r));
    run.connectionFailures = 0;
    await run.marks.sent(r.id);
  } catch (err) {
    const message = String((err as Error).message ?? err).slice(0, 500);
    const kind = classifyFailure(err);
    if (kind === 'connection') {
      // Not this person's fault: leave them waiting and slow the whole send down.
      run.connectionFailures++;
      run.pauseUntil = Date.now() + Math.min(60_000, 500 * 2 ** Math.min(run.connectionFailures, 7));
      if (run.connectionFailures === 1 || run.connectionFailures % 10 === 0)
        log.warn({ err, newsletterId: run.id }, 'newsletter: SMTP server unavailable, backing off');
      return;
    }
    const attempts = r.attempts + 1;
    const final = kind === 'permanent' || attempts >= opts.maxAttempts;
    await repo.recordFailure(r.id, {
      attempts,
      lastError: message,
      status: final ? 'failed' : 'pending',
      nextAttemptAt: new Date(Date.now() + opts.retryBaseMs * 2 ** (attempts - 1)),
    });
  }
}
