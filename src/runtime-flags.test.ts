import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// A child process keeps ~30 MB alive and churns objects that live long enough to be promoted, then
// die: the way requests in flight under load fill the old generation. With the server's run-time
// flags applied its heap must peak well below V8's default growth (src/runtime-flags.ts).
const childScript = (apply: boolean) => `
  import { getHeapStatistics } from 'node:v8';
  import { applyServerRuntimeFlags } from '#src/runtime-flags.ts';
  if (${apply}) applyServerRuntimeFlags();
  const live = Array.from({ length: 300_000 }, (_, i) => ({ i, s: 'live-' + i }));
  const ring = new Array(200_000).fill(null);
  let peak = 0;
  for (let i = 0; i < 3_000_000; i++) {
    ring[i % ring.length] = { i, s: 'x' + i, a: [i, i + 1] };
    if (i % 10_000 === 0) peak = Math.max(peak, getHeapStatistics().total_heap_size);
  }
  console.log(JSON.stringify({ peak, live: live.length }));
`;

async function peakHeap(apply: boolean): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--max-semi-space-size=16', '--input-type=module', '-e', childScript(apply)],
    { cwd: process.cwd() },
  );
  return (JSON.parse(stdout) as { peak: number }).peak;
}

describe('the server’s run-time V8 flags', () => {
  it('keep the old generation from growing to several times what is alive', async () => {
    const withoutFlags = await peakHeap(false);
    const withFlags = await peakHeap(true);
    expect(withFlags).toBeLessThan(withoutFlags * 0.8);
  });
});
