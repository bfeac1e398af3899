import { readFileSync } from 'node:fs';
import autocannon, { type Options, type Result } from 'autocannon';

export type LoadFigures = {
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  total: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  durationSec: number;
};

export function figures(r: Result): LoadFigures {
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number(v.count);
  return {
    requestsPerSec: r.requests.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    total: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    durationSec: r.duration,
  };
}

export async function run(opts: Options): Promise<Result> {
  return autocannon({ pipelining: 1, timeout: 10, ...opts });
}

// Warm-up (discarded), then the measured run.
export async function warmThenMeasure(opts: Options & { warmupSec: number; durationSec: number }): Promise<LoadFigures> {
  const { warmupSec, durationSec, ...rest } = opts;
  await run({ ...rest, duration: warmupSec });
  return figures(await run({ ...rest, duration: durationSec }));
}

// Samples a process's resident memory from /proc every intervalMs; VmHWM is the kernel's own
// high-water mark since the process started.
export function sampleMemory(pid: number, intervalMs = 100) {
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
      return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
    } catch {
      return null;
    }
  };
  let maxRssKb = 0;
  let hwmKb = 0;
  let samples = 0;
  const tick = () => {
    const m = read();
    if (!m) return;
    samples++;
    maxRssKb = Math.max(maxRssKb, m.rssKb);
    hwmKb = Math.max(hwmKb, m.hwmKb);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { maxRssMb: maxRssKb / 1024, peakHwmMb: hwmKb / 1024, samples };
    },
  };
}
