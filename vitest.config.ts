import { configDefaults, defineConfig } from 'vitest/config';
import LongestFirst from './tests/helpers/sequencer.ts';

const include = ['src/**/*.test.ts', 'tests/integration/**/*.test.ts', 'scripts/**/*.test.ts'];
// Files whose outcome cannot depend on which database is underneath run once, in the pglite
// project: the embedded database's own settings and compiler, the process's module hook and V8
// flags, and the route-access walk and hostile-input fuzz, which test the HTTP layer's rules (who
// may see what; no input makes a server error) over the same app and the same SQL on either
// database. Running them again on PostgreSQL took about a fifth of that project's time (ADR 14).
const sameOnEitherDatabase = [
  'src/db/client.test.ts',
  'src/db/wasm-compiler.test.ts',
  'src/module-hooks.test.ts',
  'src/plugins/language.test.ts',
  'src/plugins/security.test.ts',
  'src/platform/mail/transport.test.ts',
  'src/runtime-flags.test.ts',
  'tests/integration/route-access/**',
];
// Files that start real app servers and put them under load, and so need the machine more than
// any other file: they run first, as a group of their own, one at a time, and no other test file
// runs beside them (the checks do, at a lower priority: scripts/test.ts). Among the other files
// they were starved: on a 2-core host with a slow processor, two servers took over 30 s to start,
// and an in-process test beside them ten times its usual 2 s (ADR 14, "Later: the servers run as
// a group of their own"). They make their own databases, so they need no template.
const serverFiles = ['tests/integration/kill-under-load.test.ts', 'tests/integration/sigterm-drain.test.ts'];
const servers = {
  include: serverFiles,
  setupFiles: ['tests/setup.ts'],
  testTimeout: 20_000,
  hookTimeout: 30_000,
  sequence: { groupOrder: 0 },
  maxWorkers: 1,
};
const shared = {
  include,
  exclude: [...configDefaults.exclude, ...serverFiles],
  setupFiles: ['tests/setup.ts'],
  // Migrates one database per project and run; every test file's database is a copy of it.
  globalSetup: ['tests/helpers/database-template.ts'],
  testTimeout: 20_000,
  hookTimeout: 30_000,
  sequence: { groupOrder: 1 },
  // Vitest's default on 2 cores is 1 worker. Each worker waits on PostgreSQL, the SMTP sink and
  // the servers some tests start part of the time, so a third keeps the 2 cores busier: the whole
  // suite on a quiet 2-core host, back to back, took 294 s with 2 workers and 237 s with 3 (ADR 14).
  maxWorkers: 3,
};

// The same suite runs on the embedded database and, when TEST_DATABASE_URL is set, on PostgreSQL.
export default defineConfig({
  test: {
    // Node runs the TypeScript itself (no vi.mock here, so Vite's module runner buys nothing), and
    // a worker imports the app once for all its files: each file still builds its own app on its
    // own database (docs/decisions/0014-fast-test-suite.md).
    experimental: { viteModuleRunner: false },
    isolate: false,
    // Within each group, the longest files first (tests/helpers/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...servers, name: 'servers-pglite', env: { TEST_DB_KIND: 'pglite' } } },
      ...(process.env.TEST_DATABASE_URL ? [{ test: { ...servers, name: 'servers-postgres', env: { TEST_DB_KIND: 'postgres' } } }] : []),
      // Two real server processes on one PostgreSQL database and one Redis (`npm run test:scale`).
      ...(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL
        ? [
            {
              test: {
                ...servers,
                name: 'scale',
                include: ['tests/scale/**/*.test.ts'],
                setupFiles: [],
                testTimeout: 60_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
      // The checks of the code base's shape (tests/*.test.ts) need no database: they run once.
      { test: { ...shared, include: [...include, 'tests/*.test.ts'], name: 'pglite', env: { TEST_DB_KIND: 'pglite' } } },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                ...shared,
                exclude: [...shared.exclude, ...sameOnEitherDatabase],
                name: 'postgres',
                env: { TEST_DB_KIND: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
