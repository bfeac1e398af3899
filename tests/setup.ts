import './helpers/module-hooks.ts';
import { afterEach, beforeEach, vi } from 'vitest';
import { rememberQueues } from './helpers/jobs.ts';
import { rememberPasswordHashes } from './helpers/passwords.ts';

rememberQueues();
rememberPasswordHashes();

// A test that makes the app log to console.error has hit something nobody expected: fail it.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  if (errors.length) throw new Error(`console.error was called:\n${errors.map((e) => e.map(String).join(' ')).join('\n')}`);
});
