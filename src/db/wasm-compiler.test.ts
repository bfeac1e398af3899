import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

// A process that opens the embedded database compiles its WebAssembly with the baseline compiler
// only: without it, TurboFan recompiles hundreds of PGlite's functions while a new cluster is
// made, and its work on the SQL parser alone held ~600 MB (src/db/wasm-compiler.ts, ADR 10).
// V8 prints every function it compiles with --trace-wasm-compilation-times; a child process is
// needed because a flag set at run time cannot be read back. The child loads the run's migrated
// template rather than making a new cluster: less than half the CPU, and without the flags the
// same work still has V8 recompile about a hundred of PGlite's functions, so the test can fail.
const childScript = `
  import { readFileSync } from 'node:fs';
  import { openDatabase } from '#src/db/client.ts';
  const template = new Blob([readFileSync(process.env.PGLITE_TEMPLATE)]);
  const handle = await openDatabase({ dataDir: 'memory://', loadDataDir: template });
  for (let i = 0; i < 200; i++) await handle.pglite.query('select $1::int + 1 as n', [i]);
  await handle.close();
`;

describe('the embedded database’s WebAssembly', () => {
  it('is never recompiled by the optimising compiler', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--trace-wasm-compilation-times', '--input-type=module', '-e', childScript],
      { cwd: process.cwd(), maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PGLITE_TEMPLATE: inject('pgliteTemplate') } },
    );
    // "Compiled function 0x…#123 using Liftoff, took …": group by module, the address before '#'.
    const perModule = new Map<string, { liftoff: number; turbofan: number }>();
    for (const [, module, tier] of stdout.matchAll(/^Compiled function (\S+)#\d+ using (\w+)/gm)) {
      const counts = perModule.get(module!) ?? { liftoff: 0, turbofan: 0 };
      if (tier === 'TurboFan') counts.turbofan++;
      else counts.liftoff++;
      perModule.set(module!, counts);
    }
    // PGlite's module is by far the largest one compiled (Node's own, for TypeScript, is far smaller).
    const pglite = [...perModule.values()].sort((a, b) => b.liftoff + b.turbofan - (a.liftoff + a.turbofan))[0];
    expect(pglite?.liftoff).toBeGreaterThan(1000);
    expect(pglite?.turbofan).toBe(0);
  });
});
