import { fstatSync } from 'node:fs';
import { availableParallelism } from 'node:os';

// Two costs of the machine itself that decide how fast the suite can run, measured in about a
// tenth of a second before it starts and printed with the stages' times (ADR 14, "Later: hosts
// that trap memory and system calls"). On a virtual machine whose hypervisor handles every change
// to a process's page tables, touching new memory cost 12–13 µs a page and a system call 1 µs
// (2–4 µs from Node); the browser journeys, which start processes and map memory all the time,
// then ran about three times slower than on a host where the same suite met its budget, the unit
// tests about twice. One reading, at the start: a busy moment on the host shows in it.
export type MachineCosts = { cores: number; newPageUs: number; syscallUs: number };

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
  return {
    cores: availableParallelism(),
    newPageUs: Math.max(0, first - again) / pages / 1000,
    syscallUs: syscalls / calls / 1000,
  };
}

export const describeMachine = (m: MachineCosts) =>
  `${m.cores} cores; touching new memory ${m.newPageUs.toFixed(1)} µs a page, a system call ${m.syscallUs.toFixed(1)} µs (from Node)`;
