import { expect, it } from 'vitest';
import { buildTestApp } from '../../tests/helpers/app.ts';

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
