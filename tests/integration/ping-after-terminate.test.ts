import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { openTestDatabase, testDbKind } from '#tests/helpers/database.ts';

// CI saw /healthz say "unavailable" for a live PostgreSQL: an administrator had just ended every
// connection, the pool's one idle connection was dead but the pool had not yet heard, the ping's
// query went to it and failed, and no other idle connection was left to try. A ping must try a
// fresh connection before it says the database is gone. (PGlite has no connections to lose.)
const database = await openTestDatabase();
afterAll(() => database.close());

// Ended from another process while this one's event loop waits (execFileSync), so when the ping
// is asked the pool has not yet read the server's goodbye: the order CI hit under load, every time.
const endEveryConnection = () => {
  if (!database.url) return;
  const script = `
    const pg = require('pg');
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    admin.connect()
      .then(() => admin.query("select pg_terminate_backend(pid, 5000) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [process.argv[1]]))
      .then(() => admin.end());`;
  execFileSync(process.execPath, ['-e', script, new URL(database.url).pathname.slice(1)], { stdio: 'inherit' });
};

it(`answers the ping straight after every connection was ended (${testDbKind})`, async () => {
  for (let round = 0; round < 3; round++) {
    await database.ping();
    endEveryConnection();
    await expect(database.ping()).resolves.toBeUndefined();
  }
});
