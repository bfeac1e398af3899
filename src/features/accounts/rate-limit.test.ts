import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';

// In a file of its own: the limit counts every request from the test's one address.
describe('rate limits on the public sign-in forms', async () => {
  const { app } = await buildTestApp();

  it('turns away an eleventh request in a minute to /sign-in/email and to /join', async () => {
    for (const [page, action, form] of [
      ['/sign-in/email', '/sign-in/email', { email: 'someone@example.net' }],
      ['/join', '/join', { name: 'Rate Limit', email: 'rl@example.net' }],
    ] as const) {
      const browser = new Browser(app);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await browser.submit(page, action, form)).statusCode);
      expect(statuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
      expect(statuses[10]).toBe(429);
    }
  });
});
