import { expect, expectNoAxeViolations, test } from './helpers.ts';
import { visit } from './pages.ts';

// The accessibility check every journey relies on must be able to fail: a page with a known
// violation is refused (with and without JavaScript), and the next good page still passes.
test('the accessibility check refuses a page with a violation, then passes a good one', async ({ page }) => {
  await page.route('**/axe-self-check', (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!DOCTYPE html><html><head><title>Check</title></head><body><main><h1>Check</h1><img src="/assets/app.css"></main></body></html>',
    }),
  );
  await page.goto('/axe-self-check');
  await expect(expectNoAxeViolations(page)).rejects.toThrow(/image-alt|html-has-lang/);
  await page.unroute('**/axe-self-check');
  expect((await visit(page, '/'))?.status()).toBe(200);
});
