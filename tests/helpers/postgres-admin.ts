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

// A connection to the server named `name`, which says, for as long as it stays open, that the
// databases its owner made are in use; and the databases starting with `prefix` whose own such
// connection has gone (their run was stopped before it could drop them: a check failed, Ctrl-C,
// a kill). Used for the templates (tests/helpers/database-template.ts) and the scratch databases.
export async function connectOwner(adminUrl: string, name: string, prefix: string): Promise<{ owner: pg.Client; gone: string[] }> {
  const owner = new pg.Client({ connectionString: adminUrl, application_name: name });
  await owner.connect();
  try {
    const { rows } = await owner.query<{ datname: string }>(
      `select datname from pg_database
       where left(datname, length($1)) = $1 and datname not in (select application_name from pg_stat_activity)`,
      [prefix],
    );
    return { owner, gone: rows.map((r) => r.datname) };
  } catch (err) {
    await owner.end();
    throw err;
  }
}

// A new, empty database on that server (coproduce_scratch_<label>_<random>), for a server process a
// test starts to migrate and use; drop() removes it, closing whatever is still connected. It is
// owned as the templates are (connectOwner): each new one first drops every scratch database whose
// owner has gone.
export async function scratchDatabase(adminUrl: string, label: string) {
  const name = `coproduce_scratch_${label}_${randomBytes(4).toString('hex')}`;
  const { owner, gone } = await connectOwner(adminUrl, name, 'coproduce_scratch_');
  try {
    for (const stale of gone) await owner.query(`drop database if exists ${stale} with (force)`);
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
