import { expect, it } from 'vitest';
import { buildTestApp } from '#tests/helpers/app.ts';

const { app } = await buildTestApp();

it('serves the NHS stylesheet without fonts from another site', async () => {
  const res = await app.inject('/assets/nhsuk/nhsuk-frontend.min.css');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/css');
  expect(res.body).toContain('.nhsuk-header');
  expect(res.body).not.toContain('assets.nhs.uk');
  expect(res.body).not.toContain('@font-face');
});

it('serves the NHS script and our own assets', async () => {
  expect((await app.inject('/assets/nhsuk/nhsuk-frontend.min.js')).statusCode).toBe(200);
  expect((await app.inject('/assets/app.js')).statusCode).toBe(200);
  expect((await app.inject('/assets/nhsuk/../../package.json')).statusCode).toBe(404);
});

it('serves the icons the NHS stylesheet refers to, and answers a missing asset with a plain 404', async () => {
  const css = (await app.inject('/assets/nhsuk/nhsuk-frontend.min.css')).body;
  const icons = [...css.matchAll(/url\((\/assets\/[^)]+)\)/g)].map((m) => m[1]!);
  expect(icons.length).toBeGreaterThan(0);
  for (const icon of new Set(icons)) expect((await app.inject(icon)).statusCode, icon).toBe(200);
  const missing = await app.inject('/assets/images/no-such-icon.svg');
  expect(missing.statusCode).toBe(404);
  expect(missing.body).toBe('Not found');
});

it('answers a browser that already has the NHS stylesheet with 304, and one with an older copy in full', async () => {
  const first = await app.inject('/assets/nhsuk/nhsuk-frontend.min.css');
  const etag = first.headers.etag as string;
  expect(etag).toMatch(/^"[\w-]{27}"$/);
  const again = await app.inject({ url: '/assets/nhsuk/nhsuk-frontend.min.css', headers: { 'if-none-match': `"old", ${etag}` } });
  expect(again.statusCode).toBe(304);
  expect(again.body).toBe('');
  expect(again.headers.etag).toBe(etag);
  const older = await app.inject({ url: '/assets/nhsuk/nhsuk-frontend.min.css', headers: { 'if-none-match': '"old"' } });
  expect(older.statusCode).toBe(200);
  expect(older.body).toBe(first.body);
});
