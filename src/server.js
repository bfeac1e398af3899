import { enableCompileCache } from 'node:module';

// The entry point (`npm start`). Node keeps the compiled code of every module in a cache (in the
// system's temporary folder unless NODE_COMPILE_CACHE says otherwise), so a restart skips compiling
// them again: about 0.3 s of a 2.5 s start on a 2-core machine (issue 10). Nothing else may be
// imported before it is on: then the V8 flags that can be set at run time (src/runtime-flags.ts),
// the shorter resolution of Drizzle's modules (src/module-hooks.ts), then the real start.
//
// This one file is JavaScript, not TypeScript, because Node reads it before the cache is on: as a
// .ts file it made Node load its TypeScript stripper (swc, compiled to WebAssembly) on every start
// for this file alone, about 0.1 s and 9 MB that stayed resident (ADR 10, "the entry point is
// JavaScript"). Every other file is stripped once and then read from the cache.
enableCompileCache();
const { applyServerRuntimeFlags } = await import('./runtime-flags.ts');
applyServerRuntimeFlags();
const { registerModuleHooks } = await import('./module-hooks.ts');
registerModuleHooks();
await import('./start.ts');
