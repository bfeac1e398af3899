import { sleep } from './options.ts';

// A token bucket: at most `rate` messages a second, with bursts of a tenth of a second. The rate is
// read on every call, so tuning the options takes effect at once.
export function createThrottle(opts: { rate: number }) {
  let allowance = 0;
  let lastRefill = performance.now();
  return async function throttle(): Promise<void> {
    if (!opts.rate) return;
    for (;;) {
      const t = performance.now();
      allowance = Math.min(Math.max(1, opts.rate / 10), allowance + ((t - lastRefill) * opts.rate) / 1000);
      lastRefill = t;
      if (allowance >= 1) {
        allowance -= 1;
        return;
      }
      await sleep(((1 - allowance) * 1000) / opts.rate);
    }
  };
}
