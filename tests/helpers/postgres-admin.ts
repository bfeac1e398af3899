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

// A new, empty database on that server, for a server process a test starts to migrate and use;
// drop() removes it, closing whatever is still connected.
export async function scratchDatabase(adminUrl: string, prefix: string) {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`) };
}
