import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '#src/config.ts';
import { openDatabase, DataDirLockedError } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { createAuth } from '#src/platform/identity/better-auth.ts';
import { createStaffUser } from '#src/platform/identity/service.ts';
import type { StaffRole } from '#src/platform/identity/roles.ts';
import { publicNameLine, signInLine } from './create-user-messages.ts';

const usage = `Create a staff account.

Usage: npm run user:create -- --email <email> --name <name> --role <admin|staff|involvement> [--job-title <title>] [--password <password>]

The name (and job title) is public: it is shown on every reply the person publishes.
Without --password a strong one is generated and printed once. Further staff can then be
invited by an admin in the browser, at /admin/users.
Run it with the server's own BASE_URL or PORT to be told the right sign-in address.
With the embedded database, stop the server first: PGlite allows one process at a time.`;

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'staff' },
      'job-title': { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.email || !values.name) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await runMigrations(database);
    const result = await createStaffUser(createAuth(database.db, config), {
      email: values.email,
      name: values.name,
      role: values.role as StaffRole,
      jobTitle: values['job-title'],
      password: values.password,
    });
    if (!result.ok) {
      console.error(`Could not create the account: ${result.error}`);
      process.exitCode = 1;
      return;
    }
    console.log(`Created ${values.role} account for ${values.email}.`);
    if (result.generated) console.log(`Password (shown once, change it after signing in): ${result.password}`);
    console.log(publicNameLine(values.name, values['job-title']));
    console.log(signInLine(config, process.env));
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) console.error(err.message);
  else console.error('Could not create the account:', err instanceof Error ? err.message : err);
  process.exit(1);
});
