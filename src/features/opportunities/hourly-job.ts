import type { FeatureContext, Jobs } from '#src/platform/feature.ts';

const EVERY_MS = 60 * 60_000;

// Work tried at start and every hour, whose own records make a repeat do nothing twice (the daily
// digest of applications, the daily opportunity alerts). One timer per app (tests build several
// apps in one process). A failure is logged and tried again within the hour.
export function createHourlyJob(work: (ctx: FeatureContext) => Promise<unknown>, failure: string): Jobs {
  const timers = new Map<FeatureContext['services'], NodeJS.Timeout>();
  const run = (ctx: FeatureContext) =>
    work(ctx).catch((err: unknown) => {
      ctx.log.error({ err }, failure);
    });
  return {
    async start(ctx) {
      await run(ctx);
      const timer = setInterval(() => void run(ctx), EVERY_MS);
      timer.unref();
      timers.set(ctx.services, timer);
    },
    async stop(ctx) {
      clearInterval(timers.get(ctx.services));
      timers.delete(ctx.services);
    },
  };
}
