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
