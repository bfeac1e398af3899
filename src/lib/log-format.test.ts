import { describe, expect, it } from 'vitest';
import { prettyLogStream, wantsPrettyLog } from './log-format.ts';

describe('the server log format', () => {
  it('is readable lines only in development, on a terminal or when LOG_FORMAT=pretty', () => {
    expect(wantsPrettyLog({ env: 'development', logFormat: undefined, isTTY: true })).toBe(true);
    expect(wantsPrettyLog({ env: 'development', logFormat: undefined, isTTY: false })).toBe(false);
    expect(wantsPrettyLog({ env: 'development', logFormat: 'pretty', isTTY: false })).toBe(true);
    expect(wantsPrettyLog({ env: 'development', logFormat: 'json', isTTY: true })).toBe(false);
  });

  it('is JSON in production and in tests, whatever LOG_FORMAT says', () => {
    for (const env of ['production', 'test'])
      for (const logFormat of [undefined, 'pretty', 'json'] as const) expect(wantsPrettyLog({ env, logFormat, isTTY: true })).toBe(false);
  });

  it('falls back to JSON when pino-pretty is not installed (npm ci --omit=dev)', async () => {
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find package 'pino-pretty'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    expect(await prettyLogStream(missing)).toBeNull();
  });

  it('gives a writable stream when pino-pretty is installed', async () => {
    const stream = await prettyLogStream();
    expect(stream).not.toBeNull();
    expect(typeof stream!.write).toBe('function');
  });
});
