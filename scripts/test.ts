// `npm test`: everything a change must pass, stopping at the first failure: format, lint,
// typecheck and Vitest (PGlite, and PostgreSQL when TEST_DATABASE_URL is set) at the same time,
// then Playwright. A check that fails stops Vitest at once. The test stages' output streams as it
// happens; each check's output is held and shown in one piece, at once if it failed, else when
// Vitest ends. The very last line is always `N passed, N failed` (Vitest and
// Playwright tests together); CI reads that line. A stage that fails without failing a test
// (lint, typecheck, a runner that crashes) counts as one failure, so the line never looks green.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describeMachine, probeMachine } from './machine-probe.ts';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'coproduce-test-'));
const vitestJson = join(work, 'vitest.json');
const playwrightJson = join(work, 'playwright.json');

type Counts = { passed: number; failed: number; skipped: number };
type Stage = {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  // Stages in the same batch start together and the next batch waits for all of them. The checks
  // share Vitest's batch: Vitest leaves part of the 2 cores idle (its workers wait on PostgreSQL,
  // the SMTP sink and the servers some tests start), and the checks fill it: on a quiet 2-core
  // host, checks then Vitest took 261 s, both at once 236 s (ADR 14).
  batch: number;
  // Output held back and shown in one piece (a check), rather than streamed (a test stage). A check
  // also runs at a lower CPU priority (`nice`): it has no clock to beat, while Vitest's tests start
  // servers and wait for them within limits. On a slower 2-core host (lint alone 70 s, against
  // 12–26 s elsewhere) the checks at full priority starved the first test files, which start
  // servers under load, and three of them failed their limits (ADR 14, "Later: the checks yield to the tests").
  held?: boolean;
  // Reads the runner's JSON report, if the stage runs tests.
  counts?: () => Counts | null;
  // The slowest test files or tests from that report, to show where the time went.
  slowest?: () => { name: string; ms: number }[];
};

const stages: Stage[] = [
  { name: 'format', command: bin('prettier'), args: ['--check', '--log-level=warn', '.'], batch: 1, held: true },
  { name: 'lint', command: bin('eslint'), args: ['--max-warnings=0', '.'], batch: 1, held: true },
  { name: 'typecheck', command: bin('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'], batch: 1, held: true },
  {
    name: 'vitest',
    batch: 1,
    command: bin('vitest'),
    args: ['run', '--allowOnly=false', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
    counts: () => {
      const r = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests?: number; numTodoTests?: number }>(vitestJson);
      return r && { passed: r.numPassedTests, failed: r.numFailedTests, skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) };
    },
    slowest: () =>
      (readJson<{ testResults: { name: string; startTime: number; endTime: number }[] }>(vitestJson)?.testResults ?? []).map((f) => ({
        name: relative(root, f.name),
        ms: f.endTime - f.startTime,
      })),
  },
  {
    name: 'playwright',
    batch: 2,
    command: bin('playwright'),
    args: ['test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightJson, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
    counts: () => {
      const r = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(playwrightJson);
      return r && { passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky, skipped: r.stats.skipped };
    },
    slowest: () => playwrightTests(readJson<PlaywrightSuite>(playwrightJson) ?? {}),
  },
];

type PlaywrightSuite = {
  suites?: PlaywrightSuite[];
  specs?: { title: string; file: string; tests: { projectName: string; results: { duration: number }[] }[] }[];
};
function playwrightTests(suite: PlaywrightSuite): { name: string; ms: number }[] {
  const own = (suite.specs ?? []).flatMap((spec) =>
    spec.tests.map((t) => ({
      name: `[${t.projectName}] ${spec.file}: ${spec.title}`,
      ms: t.results.reduce((sum, r) => sum + r.duration, 0),
    })),
  );
  return [...own, ...(suite.suites ?? []).flatMap(playwrightTests)];
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

// A stage that hangs must not hold CI until its own time limit: it is stopped and fails. The limits
// are several times what a stage takes on a quiet 2-core machine (checks well under a minute, each
// test stage a few minutes), so a slow or busy machine does not fail a correct suite; the runners'
// own per-test timeouts catch most hangs much sooner. Hosts differ: on 2026-11-30 one 2-core host
// ran lint in 26 s that another ran in 12 s, and under other work the journeys took over 30
// minutes there (8.5 on the faster host), so the test stages get 45.
const stageTimeoutMs = (stage: Stage) => Number(process.env.TEST_STAGE_TIMEOUT_MINUTES ?? (stage.counts ? 45 : 10)) * 60_000;

// Totals so far, across stages.
let passed = 0;
let failed = 0;
let skipped = 0;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // Each stage runs in its own process group; pass the signal on to all of them, then stop,
    // still ending with the line CI reads (an interrupted run is a failed run).
    for (const child of running) if (child.pid) killGroup(child.pid, signal);
    rmSync(work, { recursive: true, force: true });
    console.log(`\nInterrupted (${signal}).\n${passed} passed, ${failed + 1} failed`);
    process.exit(130);
  });
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const running = new Set<ReturnType<typeof spawn>>();
// stopped: the stage ended because it was told to (a stage of its batch had failed), not on its own.
type Started = { finished: Promise<{ code: number; stopped: boolean }>; stop: () => void; speak: () => void };
function run(stage: Stage): Started {
  const yields = stage.held && process.platform !== 'win32';
  const command = yields ? 'nice' : stage.command;
  const args = yields ? ['-n', '15', stage.command, ...stage.args] : stage.args;
  const child = spawn(command, args, {
    cwd: root,
    stdio: stage.held ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    detached: true,
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0'), ...stage.env },
  });
  running.add(child);
  // A held stage speaks in one piece, under its own heading, when told to.
  const held: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => held.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => held.push(chunk));
  const speak = () => {
    if (!stage.held) return;
    console.log(`\n── ${stage.name} ─────────────────────────────────────────────`);
    process.stdout.write(Buffer.concat(held));
  };
  const kill = () => {
    if (!running.has(child)) return;
    killGroup(child.pid!, 'SIGTERM');
    setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 10_000).unref();
  };
  // Told to stop because another stage failed (not for its own time limit: that is its failure).
  let told = false;
  const stop = () => {
    if (running.has(child)) told = true;
    kill();
  };
  const finished = new Promise<{ code: number; stopped: boolean }>((done) => {
    const limit = stageTimeoutMs(stage);
    const timer = setTimeout(() => {
      console.error(`\n${stage.name} did not finish within ${limit / 60_000} minutes; stopping it.`);
      kill();
    }, limit);
    child.on('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      console.error(`Could not start ${stage.command}: ${err.message}`);
      done({ code: 127, stopped: false });
    });
    // 'close', not 'exit': a held stage's output has all arrived by then.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      // A check told to stop dies of the signal; one that exits with a code of its own, even after
      // being told, ended on its own and its result stands (two checks can fail at once). A test
      // runner catches the signal and exits with a code, so once told, it was stopped.
      const exitCode = code ?? (signal ? 128 : 1);
      done({ code: exitCode, stopped: told && exitCode !== 0 && (signal !== null || !stage.held) });
    });
  });
  return { finished, stop, speak };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const timings: string[] = [];
  // Before anything else starts, while the machine is as quiet as it will be.
  const machine = probeMachine();
  const runStarted = Date.now();
  const slowest: string[] = [];

  if (process.env.TEST_DATABASE_URL) {
    console.log('PostgreSQL: the integration suite also runs on TEST_DATABASE_URL.');
  } else {
    console.log('PostgreSQL run skipped: TEST_DATABASE_URL is not set (the integration suite runs on PGlite only).');
  }

  for (const number of [...new Set(stages.map((s) => s.batch))]) {
    // The stages of a batch start at once; the first to fail stops the others.
    const batch = stages.filter((s) => s.batch === number);
    if (batch.length > 1) console.log(`\n── ${batch.map((s) => s.name).join(', ')}: at the same time ───────────────────`);
    else console.log(`\n── ${batch[0]!.name} ─────────────────────────────────────────────`);
    const started = Date.now();
    const runs = batch.map((stage) => ({ stage, ...run(stage) }));
    let stoppedBy: Stage | null = null;
    const results = await Promise.all(
      runs.map(async ({ stage, finished, speak }) => {
        const { code, stopped } = await finished;
        const result = { stage, code, ms: Date.now() - started, stopped };
        if (code !== 0 && !stoppedBy) {
          stoppedBy = stage;
          speak();
          for (const other of runs) other.stop();
        }
        return result;
      }),
    );
    for (const { stage, speak } of runs) if (stage !== stoppedBy) speak();
    if (!report(results, stoppedBy)) break;
  }

  function report(results: { stage: Stage; code: number; ms: number; stopped: boolean }[], stoppedBy: Stage | null): boolean {
    let allOk = true;
    for (const { stage, code, ms, stopped } of results) {
      if (stopped) {
        timings.push(`  ${stage.name.padEnd(10)} stopped ${seconds(ms).padStart(7)}  (${stoppedBy!.name} failed)`);
        allOk = false;
      } else allOk = reportStage(stage, code, ms) && allOk;
    }
    if (!allOk) console.log('Later stages did not run.');
    return allOk;
  }

  function reportStage(stage: Stage, code: number, ms: number): boolean {
    const counts = stage.counts?.() ?? null;
    const slow = (stage.slowest?.() ?? []).sort((a, b) => b.ms - a.ms).slice(0, 5);
    if (slow.length) slowest.push(`  ${stage.name}:`, ...slow.map((t) => `    ${seconds(t.ms).padStart(8)}  ${t.name}`));
    if (counts) {
      passed += counts.passed;
      failed += counts.failed;
      skipped += counts.skipped;
    }
    let ok = code === 0;
    if (ok && stage.counts && !counts) {
      console.log(`${stage.name} exited cleanly but wrote no report; counting that as a failure.`);
      ok = false;
    }
    timings.push(
      `  ${stage.name.padEnd(10)} ${ok ? 'ok    ' : 'FAILED'} ${seconds(ms).padStart(8)}` +
        (counts ? `  (${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''})` : ''),
    );
    if (!ok) {
      // Failed without a failing test (lint, typecheck, crash, no report): still a failure.
      if (!counts || counts.failed === 0) failed += 1;
      console.log(`\n${stage.name} failed (exit code ${code}).`);
    }
    return ok;
  }

  rmSync(work, { recursive: true, force: true });
  if (slowest.length) console.log(`\nSlowest:\n${slowest.join('\n')}`);
  console.log('\nStages:');
  console.log(timings.join('\n'));
  console.log(`  ${'total'.padEnd(10)}        ${seconds(Date.now() - runStarted).padStart(8)}`);
  console.log(`Machine: ${describeMachine(machine)}`);
  if (!process.env.TEST_DATABASE_URL) console.log('Note: the PostgreSQL run was skipped (TEST_DATABASE_URL not set).');
  if (skipped) console.log(`Note: ${skipped} test(s) were skipped.`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
