import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import type { DbHandle } from '#src/db/client.ts';
import { pgliteHandle, pgliteOptions } from '#src/db/pglite.ts';
import { keepWebAssemblyOnBaselineCompiler } from '#src/db/wasm-compiler.ts';
import { planReset, putBack, type ResetPlan } from './reset-plan.ts';

// Loading the template tarball into a new PGlite costs each test file 0.4–0.9 s and a fresh
// WebAssembly heap; putting an instance a file has finished with back as the template left it
// costs a rollback, a `discard all`, a delete from each table and a few inserts (./reset-plan.ts).
// Each worker keeps up to MAX_SPARE instances; a file that opens two databases at once gets two.
const MAX_SPARE = 2;
const spare: PGlite[] = [];
let template: Promise<Blob> | undefined;
let plan: Promise<ResetPlan> | undefined;

// A database as the template left it: a spare instance if the worker has one, else a newly loaded
// one. Its handle's close() gives it back (unless it was closed for good, as takeDatabaseAway does).
export async function acquirePglite(): Promise<DbHandle> {
  const client = spare.pop() ?? (await loadTemplate());
  const handle = pgliteHandle(client);
  let released = false;
  handle.close = async () => {
    if (released) return;
    released = true;
    await release(client);
  };
  return handle;
}

async function loadTemplate() {
  template ??= readFile(inject('pgliteTemplate')).then((bytes) => new Blob([bytes]));
  // Compiled as the server compiles it (src/db/wasm-compiler.ts).
  keepWebAssemblyOnBaselineCompiler();
  const client = await PGlite.create('memory://', { ...pgliteOptions(), loadDataDir: await template });
  plan ??= planReset(client);
  await client.exec((await plan).keepRowsSql);
  return client;
}

async function release(client: PGlite) {
  if (client.closed) return;
  if (spare.length >= MAX_SPARE || !(await resetToTemplate(client))) return client.close();
  spare.push(client);
}

// False when the instance cannot be put back (a test added or dropped a table or sequence).
export async function resetToTemplate(client: PGlite): Promise<boolean> {
  try {
    // A test may have left a transaction open (or failed), and changed session settings, made
    // temporary tables or listened; `discard all` must run on its own, outside any transaction.
    await client.exec('rollback');
    await client.exec('discard all');
    return await putBack(client, await plan!);
  } catch (err) {
    await client.close();
    throw err;
  }
}
