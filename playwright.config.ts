import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { e2eBaseUrl } from '#tests/e2e/env.ts';

// Journeys run in the machine's own Chromium (Debian packages): Playwright never downloads a browser.
// The headless shell (Debian's `chromium-headless-shell`, the same browser without the desktop
// layers) is preferred: the same journeys took about 38% less CPU in it than in full Chromium's
// headless mode (ADR 14), and the journeys are CPU-bound. Full Chromium is the fallback.
const headlessShell = '/usr/bin/chromium-headless-shell';
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync(headlessShell) ? headlessShell : '/usr/bin/chromium');
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  // A fresh embedded database, two staff accounts, then the server on the demo seed.
  globalSetup: './tests/e2e/global-setup.ts',
  forbidOnly: true,
  fullyParallel: false,
  retries: 0,
  // In the headless shell a journey needs less CPU, and three at a time keep 2 cores busy: the
  // whole stage on a quiet 2-core host took 446 s with 2 workers, 353 s with 3 and 397 s with 4
  // (ADR 14).
  workers: Number(process.env.E2E_WORKERS ?? 3),
  reporter: 'list',
  // A journey is a person's whole task (join, confirm, fill in, delete). The limit is there to stop
  // a hang, not to time the journey (npm test prints the slowest ones; issue 10 is cutting them):
  // on a 2-core host about half as fast as the usual one, several journeys took 1.6 to 1.9 minutes
  // (2026-11-30), too close to the 2 minutes this was.
  timeout: 240_000,
  expect: { timeout: 10_000 },
  use: {
    ...devices['Desktop Chrome'],
    baseURL: e2eBaseUrl,
    headless: true,
    launchOptions: { executablePath, args: chromiumArgs },
    trace: 'off',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
  },
  // Every journey runs twice: with JavaScript (progressive enhancement) and without (the baseline).
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
});
