import { setFlagsFromString } from 'node:v8';

// Node flags the server runs with (`npm start` passes the same ones; keep them in step).
// V8 sizes the young generation for the machine's memory (up to hundreds of MB on a large host);
// a 16 MB semi-space keeps the server's resident memory small at a small cost in extra scavenges.
// V8 reads it when the heap is made, so it only works on the command line (the Dockerfile and
// docs/deployment.md give it too).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16'];

// V8 flags that take effect when set at run time: src/server.js applies them before anything else
// is loaded, so the server has them however it is started (`npm start`, `node src/server.js`).
// Under the page bench's load the server keeps about 75 MB of live objects, but promotes several MB
// of short-lived ones a second (requests still in flight at a scavenge), and V8 let the old
// generation grow to about three times the live size before collecting it: 150–200 MB of resident
// garbage. Growing it by at most 50% collects more often (every few seconds, mostly on V8's
// background thread): RSS under load fell by 100–160 MB with no measurable change in CPU per
// request (ADR 10, "Later"). The extra collections while the modules load cost about 12% more CPU
// before the first request, less than PGlite's baseline-only compiling saves (src/db/wasm-
// compiler.ts). Set only once the server listens, it came too late: the limit V8 had set during
// start-up held until the next collection, under load.
export const SERVER_RUNTIME_V8_FLAGS = ['--heap-growing-percent=50'];

export function applyServerRuntimeFlags() {
  setFlagsFromString(SERVER_RUNTIME_V8_FLAGS.join(' '));
}
