import pg from 'pg';

// One statement on its own connection to a PostgreSQL server (creating, changing or dropping a
// test database), closed after.
export async function adminQuery(adminUrl: string, text: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}
