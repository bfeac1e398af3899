import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { SERVER_NODE_FLAGS } from '#src/runtime-flags.ts';

// Every process and temporary folder the bench creates is registered here, so one cleanup path
// (normal end, error or Ctrl-C) stops and removes all of them.
const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const asyncCleanups = new Set<() => Promise<void>>();
// Set once cleanup starts: nothing new is spawned after that.
let cleaning: Promise<void> | undefined;

export function trackTempDir(dir: string): string {
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

// Cleanups that need I/O (dropping a scratch database) run on the normal and the Ctrl-C path.
export function onCleanup(fn: () => Promise<void>): () => void {
  asyncCleanups.add(fn);
  return () => asyncCleanups.delete(fn);
}

export type Child = {
  proc: ChildProcess;
  pid: number;
  spawnedAt: number;
  output: () => string;
  exited: Promise<number | null>;
  stop: (graceMs?: number) => Promise<void>;
};

// BENCH_CPU_PROF=<dir> starts the app servers with V8's CPU profiler; each writes a .cpuprofile
// into <dir> when it stops (open it in Chrome DevTools or VS Code).
export function appServerArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return [...SERVER_NODE_FLAGS, ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), 'src/server.js'];
}

export function spawnNode(args: string[], env: NodeJS.ProcessEnv, cwd: string): Child {
  if (cleaning) throw new Error('the bench is stopping');
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  // Keep the tail of the output: it explains a child that failed to start.
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      children.delete(proc);
      resolve(code);
    });
  });
  if (!proc.pid) throw new Error(`could not spawn node ${args.join(' ')}`);
  return {
    proc,
    pid: proc.pid,
    spawnedAt,
    output: () => tail,
    exited,
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// Polls url until it answers 200; returns ms since the child was spawned.
export async function waitFor200(url: string, child: Child, timeoutMs: number, intervalMs = 10): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (child.proc.exitCode !== null) {
      const reason =
        child
          .output()
          .split('\n')
          .find((l) => l.trim()) ?? '';
      throw new Error(`server exited with ${child.proc.exitCode} before ${url} answered: ${reason.slice(0, 200)}\n${child.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - child.spawnedAt;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last}):\n${child.output()}`);
}

export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.allSettled([...children].map((c) => stopProc(c)));
    for (const fn of asyncCleanups) await fn().catch((err) => console.error('cleanup:', (err as Error).message));
    asyncCleanups.clear();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  })();
  return cleaning;
}

function stopProc(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

// Last resort: whatever path the process leaves by, no child outlives it and no temp dir stays.
export function installExitHandlers() {
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the bench and its servers…`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
}
