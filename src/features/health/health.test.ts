import { expect, it } from 'vitest';
import { buildTestApp } from '#tests/helpers/app.ts';
import { refuseWrites } from '#tests/helpers/database-faults.ts';

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

// Issue 17: /healthz said "ok" all the while a full disk refused every insert.
it('reports degraded (503) while the database answers but refuses writes, and ok again after', async () => {
  await refuseWrites(database, true);
  const res = await app.inject('/healthz');
  await refuseWrites(database, false);
  expect(res.statusCode).toBe(503);
  expect(res.json()).toMatchObject({ status: 'degraded', database: { reachable: true, writable: false }, problems: ['write-refused'] });
  const after = await app.inject('/healthz');
  expect(after.statusCode).toBe(200);
  expect(after.json()).toMatchObject({ status: 'ok', database: { writable: true } });
});
