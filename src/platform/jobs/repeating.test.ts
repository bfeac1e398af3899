import { describe, expect, it } from 'vitest';
import type { FeatureContext } from '#src/platform/feature.ts';
import { createRepeatingJob } from './repeating.ts';

// Just what the helper reads of the app: its services (one timer per app) and its log.
function fakeApp() {
  const errors: string[] = [];
  const ctx = { services: {}, log: { error: (_o: unknown, m: string) => errors.push(m) } } as unknown as FeatureContext;
  return { ctx, errors };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a repeating job', () => {
  it('runs at start and then every interval, until stopped', async () => {
    let runs = 0;
    const job = createRepeatingJob({ everyMs: 20, work: async () => runs++, failure: 'failed' });
    const { ctx } = fakeApp();
    await job.start(ctx);
    expect(runs).toBe(1);
    await sleep(150);
    expect(runs).toBeGreaterThanOrEqual(2);
    await job.stop!(ctx);
    const after = runs;
    await sleep(60);
    expect(runs).toBe(after);
  });

  it('never runs a round while the last is still running, and logs a failure without stopping', async () => {
    let running = 0;
    let most = 0;
    let rounds = 0;
    const job = createRepeatingJob({
      everyMs: 5,
      work: async () => {
        running++;
        most = Math.max(most, running);
        rounds++;
        await sleep(30);
        running--;
        if (rounds === 1) throw new Error('boom');
      },
      failure: 'the round failed',
    });
    const { ctx, errors } = fakeApp();
    await job.start(ctx);
    expect(errors).toEqual(['the round failed']);
    await sleep(100);
    await job.stop!(ctx);
    expect(most).toBe(1);
    expect(rounds).toBeGreaterThan(1);
  });

  it('keeps one timer per app, so two apps in one process do not stop each other', async () => {
    const counts = [0, 0];
    const job = createRepeatingJob({ everyMs: 15, work: async (ctx) => counts[(ctx as unknown as { n: number }).n]!++, failure: 'x' });
    const a = { ...fakeApp().ctx, services: {}, n: 0 } as unknown as FeatureContext;
    const b = { ...fakeApp().ctx, services: {}, n: 1 } as unknown as FeatureContext;
    await job.start(a);
    await job.start(b);
    await job.stop!(a);
    const stoppedAt = counts[0];
    await sleep(150);
    expect(counts[0]).toBe(stoppedAt);
    expect(counts[1]).toBeGreaterThan(1);
    await job.stop!(b);
  });
});
