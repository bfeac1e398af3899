import type { FeatureContext } from '#src/platform/feature.ts';

// Internet addresses stored with public submissions (comments, reports, organisation
// registrations) are needed only for per-address limits and blocking; after this many days every
// rule of kind 'internet-addresses' erases them.
export const IP_RETENTION_DAYS = 30;
export const INTERNET_ADDRESSES = 'internet-addresses';
const EVERY_MS = 60 * 60_000;

// Runs every feature's retention rules: once when jobs start (awaited, so nothing written after
// start-up is caught by a pass still running) and then every hour.
export function createRetention(ctx: FeatureContext) {
  let timer: NodeJS.Timeout | undefined;
  async function run(kind?: string, now = new Date()): Promise<number> {
    let total = 0;
    for (const rule of ctx.extensions.retention) {
      if (kind && rule.kind !== kind) continue;
      try {
        total += await rule.run(ctx, now);
      } catch (err) {
        ctx.log.error({ err, rule: rule.name }, 'a retention rule failed; it runs again within the hour');
      }
    }
    return total;
  }
  return {
    run,
    async start() {
      await run();
      timer = setInterval(() => void run(), EVERY_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
export type Retention = ReturnType<typeof createRetention>;

// Erases every internet address kept longer than IP_RETENTION_DAYS; returns how many it erased.
export const forgetOldIpAddresses = (services: { retention: Retention }, now = new Date()) =>
  services.retention.run(INTERNET_ADDRESSES, now);

// The moment before which a rule of the internet-address policy erases.
export const ipAddressesBefore = (now: Date) => new Date(now.getTime() - IP_RETENTION_DAYS * 86_400_000);
