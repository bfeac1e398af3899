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

// A document checked once is not checked again (helpers.ts), but only when it is the same: new
// tokens in hidden fields may differ, anything else is checked afresh.
test('the accessibility check looks again at an address whose page changed', async ({ page }) => {
  const document = (token: string, extra = '') =>
    '<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>' +
    `<form><input type="hidden" name="_csrf" value="${token}"></form>${extra}</main></body></html>`;
  let body = document('first-token');
  await page.route('**/axe-self-check-again', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body }));
  await visit(page, '/axe-self-check-again');
  body = document('second-token');
  await visit(page, '/axe-self-check-again');
  body = document('third-token', '<img src="/assets/app.css">');
  await page.goto('/axe-self-check-again');
  await expect(expectNoAxeViolations(page)).rejects.toThrow(/image-alt/);
});

// A page without JavaScript is checked in a mirror that runs scripts (axe is one): the page's own
// scripts, inline, loaded or in an attribute, must still not run there.
test('a page checked without JavaScript is checked with its own scripts still off', async ({ newPage }) => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.route('**/axe-self-check-scripts', (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body:
        '<!DOCTYPE html><html lang="en"><head><title>Check</title><script>alert("inline")</script>' +
        '<script type="module" src="/assets/app.js"></script></head><body><main><h1>Check</h1>' +
        `<img src="data:," alt="" onerror="alert('handler')"></main></body></html>`,
    }),
  );
  await visit(page, '/axe-self-check-scripts');
});

// The mirror checks a page only once its stylesheets have loaded: without them the sign-in page's
// links are too small to tap and the skip link shows, which axe rightly refuses. Stylesheet
// addresses new to the browser make it load them afresh, as on a worker's first check.
test('a page checked without JavaScript is checked with its stylesheets loaded', async ({ newPage, request }) => {
  const page = await newPage({ javaScriptEnabled: false });
  const fresh = `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  const html = (await (await request.get('/sign-in')).text()).replace(/href="(\/assets\/[^"]+\.css)"/g, `href="$1?fresh=${fresh}"`);
  expect(html).toContain(`nhsuk-frontend.min.css?fresh=${fresh}`);
  await page.route('**/axe-self-check-styles', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await visit(page, '/axe-self-check-styles');
});
