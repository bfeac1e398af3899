import { fstatSync } from 'node:fs';
import { availableParallelism } from 'node:os';

// Costs of the machine itself that decide how fast the suite can run, measured in about a
// tenth of a second before it starts and printed with the stages' times (ADR 14, "Later: hosts
// that trap memory and system calls"). On a virtual machine whose hypervisor handles every change
// to a process's page tables, touching new memory cost 12–13 µs a page and a system call 1 µs
// (2–4 µs from Node); the browser journeys, which start processes and map memory all the time,
// then ran about three times slower than on a host where the same suite met its budget, the unit
// tests about twice. One reading, at the start: a busy moment on the host shows in it.
//
// A third cost is the processor itself: on another 2-core host (2026-12-02), where new memory cost
// 2–3 µs a page, lint alone took 70 s against 12–26 s on earlier hosts: its processor was slower.
// A fixed piece of JavaScript shows that, timed as the best of three runs (a few tens of
// milliseconds in all); compare it between CI logs.
export type MachineCosts = { cores: number; newPageUs: number; syscallUs: number; scriptMs: number };

// Strings, small objects and a Map: the kind of work the linter, the type checker and the tests do.
function fixedScript(): number {
  const t = process.hrtime.bigint();
  const seen = new Map<string, { n: number; name: string }>();
  let total = 0;
  for (let i = 0; i < 60_000; i++) {
    const key = `k${i % 5_000}`;
    const entry = seen.get(key);
    if (entry) entry.n += i;
    else seen.set(key, { n: i, name: key.toUpperCase() });
  }
  for (const { n, name } of seen.values()) total += n + name.length;
  if (total < 0) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function probeMachine(): MachineCosts {
  const pages = 16 * 256; // 16 MB
  const memory = Buffer.allocUnsafeSlow(pages * 4096);
  let t = process.hrtime.bigint();
  memory.fill(1); // every page touched for the first time
  const first = Number(process.hrtime.bigint() - t);
  t = process.hrtime.bigint();
  memory.fill(2); // the same pages again: the writing alone
  const again = Number(process.hrtime.bigint() - t);
  const calls = 20_000;
  t = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fstatSync(0);
  const syscalls = Number(process.hrtime.bigint() - t);
  const scriptMs = Math.min(fixedScript(), fixedScript(), fixedScript());
  return {
    cores: availableParallelism(),
    scriptMs,
    newPageUs: Math.max(0, first - again) / pages / 1000,
    syscallUs: syscalls / calls / 1000,
  };
}

export const describeMachine = (m: MachineCosts) =>
  `${m.cores} cores; a fixed piece of JavaScript ${m.scriptMs.toFixed(1)} ms; touching new memory ${m.newPageUs.toFixed(1)} µs a page, a system call ${m.syscallUs.toFixed(1)} µs (from Node)`;
