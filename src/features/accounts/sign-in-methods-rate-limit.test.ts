import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';

// In a file of its own: the limit counts every request from the test's one address.
describe('rate limit on contributor password sign-in', async () => {
  const { app } = await buildTestApp();

  it('turns away an eleventh attempt in a minute, whatever the address', async () => {
    const browser = new Browser(app);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (
          await browser.submit('/sign-in/password', '/sign-in/password', {
            email: `guess-${i}@example.net`,
            password: 'a guessed password',
          })
        ).statusCode,
      );
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
    // Passkey sign-in shares the rule.
    const passkeyStatuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/sign-in/passkey/verify',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      passkeyStatuses.push(res.statusCode);
    }
    expect(passkeyStatuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
    expect(passkeyStatuses[10]).toBe(429);
  });
});
