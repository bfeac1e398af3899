import { loadConfig, ConfigError } from './config.ts';
import { openDatabase, DataDirLockedError } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { seedIfNew } from '#src/platform/seed.ts';
import { buildApp } from './app.ts';

// Start: config → database → migrations → demo content on a new database → listen → close with grace.
async function main() {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await runMigrations(database);
  const app = await buildApp({
    config,
    database,
    logger: { level: config.logLevel, ...(config.isProduction ? {} : { transport: undefined }) },
  });
  const outcome = await seedIfNew(app.featureContext, (msg) => app.log.info(msg));
  app.log.info({ database: database.kind, outcome }, 'database ready');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Coproduce is running at ${config.baseUrl}`);
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
  } else {
    console.error('Coproduce could not start:', err);
  }
  process.exit(1);
});
