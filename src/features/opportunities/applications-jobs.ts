import type { FeatureContext, Jobs, RetentionRule } from '#src/platform/feature.ts';

const EVERY_MS = 60 * 60_000;
const yesterday = (now: Date) => new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

// The contacts' daily digest of a busy day's applications: tried at start and every hour, and sent
// once per opportunity and day (the email's key), so several instances or restarts send it once.
// One timer per app (tests build several apps in one process).
export function createDigestJob(): Jobs {
  const timers = new Map<FeatureContext['services'], NodeJS.Timeout>();
  const run = (ctx: FeatureContext) =>
    ctx.services.applications.sendDigests(yesterday(new Date())).catch((err: unknown) => {
      ctx.log.error({ err }, 'could not send the applications digest; it is tried again within the hour');
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

// Applications are personal data kept for the selection and a while after (APPLICATION_RETENTION_MONTHS).
export const applicationsRetention: RetentionRule = {
  kind: 'opportunity-applications',
  name: 'applications to opportunities archived long ago',
  run: ({ services, config }, now) => services.applications.eraseArchived(now, config.applicationRetentionMonths),
};
