import { randomBytes } from 'node:crypto';
import pg from 'pg';

// Statements on a connection of their own to a PostgreSQL server (creating, changing or dropping a
// test database), one after the other, closed after.
export async function adminQuery(adminUrl: string, ...statements: string[]) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

// A new, empty database on that server (coproduce_scratch_<label>_<random>), for a server process a
// test starts to migrate and use; drop() removes it, closing whatever is still connected. A
// connection named after the database stays open until then and says its test is alive: a run
// stopped before its files ended (a check failed, Ctrl-C, a kill) cannot drop its databases, so
// each new one first drops every scratch database whose connection has gone, as the templates do
// (tests/helpers/database-template.ts).
export async function scratchDatabase(adminUrl: string, label: string) {
  const name = `coproduce_scratch_${label}_${randomBytes(4).toString('hex')}`;
  const owner = new pg.Client({ connectionString: adminUrl, application_name: name });
  await owner.connect();
  try {
    const { rows: stale } = await owner.query<{ datname: string }>(
      `select datname from pg_database
       where left(datname, length('coproduce_scratch_')) = 'coproduce_scratch_'
         and datname not in (select application_name from pg_stat_activity)`,
    );
    for (const { datname } of stale) await owner.query(`drop database if exists ${datname} with (force)`);
    await owner.query(`create database ${name}`);
  } catch (err) {
    await owner.end();
    throw err;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    try {
      await owner.query(`drop database if exists ${name} with (force)`);
    } finally {
      await owner.end();
    }
  };
  return { name, url: url.toString(), drop };
}
