import { setFlagsFromString } from 'node:v8';

// PGlite is PostgreSQL compiled to WebAssembly. V8 first compiles each of its functions with its
// quick baseline compiler (Liftoff) and later recompiles the busy ones with its optimising
// compiler (TurboFan) on background threads. One of them, PostgreSQL's SQL parser (`raw_parser`,
// a 105 KB function that every query goes through), takes TurboFan about 600 MB of working memory
// and 2.5–3.7 s of CPU; the other tier-ups about 450 MB more. That memory is given back, but it was
// the server's start-up peak (VmHWM 820–860 MB against a budget of 400) and it comes back in
// whichever process opens PGlite: server, scripts and test workers alike. Measured on PGlite
// alone, queries on baseline code cost about 10% more CPU (ADR 10, "Later").
//
// V8 has no switch for one function, so no WebAssembly function is recompiled. `--liftoff-only`
// given on the command line implies the other two, but set at run time its implications are not
// applied: all three are named. Flags are read when a module is compiled, so this must run before
// PGlite's module is (its first `PGlite.create`); it only affects WebAssembly, not JavaScript.
let applied = false;
export function keepWebAssemblyOnBaselineCompiler() {
  if (applied) return;
  setFlagsFromString('--liftoff-only --no-wasm-tier-up --no-wasm-dynamic-tiering');
  applied = true;
}
