import { enableCompileCache } from 'node:module';
import { writeFileSync } from 'node:fs';
import type { RenderTask } from './story-page.ts';

// The uncached render measured in a process started as the server is (measureRendersAsServer,
// story-page.ts): Node's flags from SERVER_NODE_FLAGS on the command line, then what src/server.js
// does before anything else (the compile cache, the V8 flags set at run time, the module hooks), so
// the young generation's size and the old generation's growth are the server's own. It reads its
// task from BENCH_RENDER_TASK (JSON) and writes the figures to the file the task names.
enableCompileCache();
const { applyServerRuntimeFlags } = await import('#src/runtime-flags.ts');
applyServerRuntimeFlags();
const { registerModuleHooks } = await import('#src/module-hooks.ts');
registerModuleHooks();
const { openDatabase } = await import('#src/db/client.ts');
const { measureRenders } = await import('./story-page.ts');

const task = JSON.parse(process.env.BENCH_RENDER_TASK ?? '{}') as RenderTask;
const database = task.dataDir
  ? await openDatabase({ dataDir: task.dataDir })
  : await openDatabase({ databaseUrl: task.databaseUrl!, poolSize: 4 });
const figures = await measureRenders({
  database,
  env: process.env,
  path: task.path,
  storyId: task.storyId,
  n: task.n,
  warmup: task.warmup,
});
writeFileSync(task.resultFile, JSON.stringify(figures));
