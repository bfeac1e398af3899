import { loadConfig, ConfigError } from './config.ts';
import { openDatabase, DataDirLockedError } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { seedIfNew } from '#src/platform/seed.ts';
import { buildApp } from './app.ts';
import { prettyLogStream, wantsPrettyLog } from '#src/lib/log-format.ts';

// Requests get this long to be answered after SIGTERM; the whole shutdown gets 2 s more.
const SHUTDOWN_BOUND_MS = 10_000;

// Start: config → database → migrations → demo content on a new database → listen → close with grace.
async function main() {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await runMigrations(database);
  const pretty = wantsPrettyLog({ env: config.env, logFormat: config.logFormat, isTTY: !!process.stdout.isTTY })
    ? await prettyLogStream()
    : null;
  const app = await buildApp({ config, database, logger: { level: config.logLevel, ...(pretty ? { stream: pretty } : {}) } });
  const outcome = await seedIfNew(app.featureContext, (msg) => app.log.info(msg));
  app.log.info({ database: database.kind, outcome }, 'database ready');

  // SIGTERM drains (src/plugins/drain.ts): every request already received is answered, open
  // connections are closed politely, then the queue stops and the database closes; all within
  // SHUTDOWN_BOUND_MS, after which whatever is left is cut off.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_BOUND_MS + 2_000);
    force.unref();
    let code = 0;
    try {
      const answeredAll = await app.drain(SHUTDOWN_BOUND_MS);
      if (!answeredAll) app.log.warn('shutdown bound reached with requests still in flight');
      await database.close();
      app.log.info('stopped');
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      code = 1;
    } finally {
      process.exit(code);
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
