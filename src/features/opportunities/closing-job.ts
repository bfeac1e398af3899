import type { FeatureContext } from '#src/platform/feature.ts';

// Opportunities close at their closing time: every minute, whatever is due is closed. The update
// only moves rows still open, so several instances running it at once close each one once.
export const CLOSING_INTERVAL_MS = 60_000;
// One timer per app (tests build several in one process).
const timers = new WeakMap<object, NodeJS.Timeout>();

export async function startClosingJob({ services, log }: FeatureContext) {
  const run = () =>
    services.opportunities.closeDue().catch((err: unknown) => log.error({ err }, 'closing opportunities failed; trying again next minute'));
  await run();
  const timer = setInterval(() => void run(), CLOSING_INTERVAL_MS);
  timer.unref();
  timers.set(services, timer);
}

export function stopClosingJob({ services }: FeatureContext) {
  clearInterval(timers.get(services));
  timers.delete(services);
  return Promise.resolve();
}
