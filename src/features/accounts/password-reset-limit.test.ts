import { describe, expect, it } from 'vitest';
import { memoryGuessStore } from './password-guesses.ts';
import { resetRequestAllowed, RESET_REQUESTS_PER_HOUR } from './password-reset-limit.ts';

describe('the limit on reset emails to one address', () => {
  it('allows a few an hour per address, whatever its case, then none until the hour is over', async () => {
    let now = 0;
    const store = memoryGuessStore(() => now);
    for (let i = 0; i < RESET_REQUESTS_PER_HOUR; i++)
      expect(await resetRequestAllowed(store, i % 2 ? 'Sam@Example.org' : 'sam@example.org ')).toBe(true);
    expect(await resetRequestAllowed(store, 'sam@example.org')).toBe(false);
    expect(await resetRequestAllowed(store, 'someone-else@example.org')).toBe(true);
    now += 60 * 60 * 1000;
    expect(await resetRequestAllowed(store, 'sam@example.org')).toBe(true);
  });
});
