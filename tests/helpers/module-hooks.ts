// Imported first by tests/setup.ts, so that it runs before anything loads Drizzle: each worker
// resolves Drizzle's modules as the server does (src/server.js, src/module-hooks.ts), without
// re-reading its 130 KB exports map for every one of them.
import { registerModuleHooks } from '#src/module-hooks.ts';

registerModuleHooks();
