import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

// How much of the machine other processes used while the bench ran. The bench and its servers are
// counted from /proc/self/stat (own time plus that of children it has waited for, i.e. every
// server it started and stopped); everything else busy in /proc/stat belongs to someone else.
type Snapshot = { busy: number; total: number; ours: number };

function snapshot(): Snapshot | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    // Fields after the command name (which may contain spaces): utime is the 14th field overall.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const ours = f[11]! + f[12]! + f[13]! + f[14]!;
    return { busy: total - idle, total, ours };
  } catch {
    return null;
  }
}

export function watchMachine() {
  const start = snapshot();
  return {
    // Shares of the whole machine (all cores) over the run, 0..1.
    stop(): { othersShare: number; oursShare: number; cores: number } | null {
      const end = snapshot();
      if (!start || !end || end.total === start.total) return null;
      const total = end.total - start.total;
      const ours = end.ours - start.ours;
      const others = Math.max(0, end.busy - start.busy - ours);
      return { othersShare: others / total, oursShare: ours / total, cores: cpus().length };
    },
  };
}

// User + system CPU seconds of processes, from /proc (Linux), 0 where unreadable.
const ticksPerSec = 100;
export function cpuOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process has gone
    }
  }
  return ticks / ticksPerSec;
}
export function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('postgres')) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}
