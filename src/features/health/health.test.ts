import { expect, it } from 'vitest';
import { buildTestApp } from '#tests/helpers/app.ts';

const { app, database } = await buildTestApp();

it('reports the database as reachable', async () => {
  const res = await app.inject('/healthz');
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ status: 'ok', database: { reachable: true, kind: database.kind } });
});

it('answers 503 when the database is gone', async () => {
  const ping = database.ping;
  database.ping = async () => {
    throw new Error('connection refused');
  };
  const res = await app.inject('/healthz');
  database.ping = ping;
  expect(res.statusCode).toBe(503);
  expect(res.json()).toMatchObject({ status: 'unavailable', database: { reachable: false } });
});
