import type { FeatureContext, Jobs } from '#src/platform/feature.ts';

// Work run at start and then every `everyMs` on each instance, whose own records make a repeat do
// nothing twice (reminders keyed in the mail log, say): so no lock across instances is needed.
// One timer per app (tests build several apps in one process); a failure is logged and the next
// round tries again. Overlapping rounds are skipped, so a slow round never piles up behind itself.
export function createRepeatingJob(o: { everyMs: number; work: (ctx: FeatureContext) => Promise<unknown>; failure: string }): Jobs {
  const timers = new Map<FeatureContext['services'], NodeJS.Timeout>();
  const running = new Set<FeatureContext['services']>();
  const run = async (ctx: FeatureContext) => {
    if (running.has(ctx.services)) return;
    running.add(ctx.services);
    try {
      await o.work(ctx);
    } catch (err) {
      ctx.log.error({ err }, o.failure);
    } finally {
      running.delete(ctx.services);
    }
  };
  return {
    async start(ctx) {
      await run(ctx);
      const timer = setInterval(() => void run(ctx), o.everyMs);
      timer.unref();
      timers.set(ctx.services, timer);
    },
    async stop(ctx) {
      clearInterval(timers.get(ctx.services));
      timers.delete(ctx.services);
    },
  };
}
