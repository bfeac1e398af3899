import { enableCompileCache } from 'node:module';

// The entry point (`npm start`). Node keeps the compiled code of every module in a cache (in the
// system's temporary folder unless NODE_COMPILE_CACHE says otherwise), so a restart skips compiling
// them again: about 0.3 s of a 2.5 s start on a 2-core machine (issue 10). Nothing else may be
// imported before it is on: then the V8 flags that can be set at run time (src/runtime-flags.ts),
// the shorter resolution of Drizzle's modules (src/module-hooks.ts), then the real start.
enableCompileCache();
const { applyServerRuntimeFlags } = await import('./runtime-flags.ts');
applyServerRuntimeFlags();
const { registerModuleHooks } = await import('./module-hooks.ts');
registerModuleHooks();
await import('./start.ts');
