import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyServerOptions } from 'fastify';
import formbody from '@fastify/formbody';
import type { Config } from './config.ts';
import type { DbHandle } from './db/client.ts';
import { createServices, type Services } from './services.ts';
import views, { createNunjucks } from './plugins/views.ts';
import assets from './plugins/assets.ts';
import security from './plugins/security.ts';
import errors from './plugins/errors.ts';
import authPlugin from './features/auth/plugin.ts';
import { createAuth } from './features/auth/better-auth.ts';
import { features } from './features/index.ts';

export type BuildOptions = {
  config: Config;
  database: DbHandle;
  logger?: FastifyServerOptions['logger'];
  // Run queue workers in this process (the default). Tools that only need the routes turn it off.
  startJobs?: boolean;
};

// Composition root: plugins first, then every feature. No domain logic lives here.
export async function buildApp({ config, database, logger = false, startJobs = true }: BuildOptions) {
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  });

  const nunjucksEnv = createNunjucks(config);
  const services = createServices(database, config, { nunjucks: nunjucksEnv, log: app.log });
  const auth = createAuth(database.db, config, { sendMagicLink: (request) => services.contributors.sendSignInLink(request) });
  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('services', services);

  await app.register(formbody);
  await app.register(assets, { isProduction: config.isProduction });
  await app.register(views, { env: nunjucksEnv });
  await app.register(security, { config });
  await app.register(errors);
  await app.register(authPlugin, { auth });

  const adminLinks = features.flatMap((f) => f.adminLinks ?? []);
  const mainNav = features.flatMap((f) => f.mainNav ?? []);
  const footerNav = features.flatMap((f) => f.footerNav ?? []);
  // Set on every request (before any hook can fail) so even an error page has the full layout.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/assets/')) return;
    reply.locals.org = await services.settings.get();
    reply.locals.adminLinks = adminLinks;
    reply.locals.mainNav = mainNav;
    reply.locals.footerNav = footerNav;
    reply.locals.csrfToken = () => reply.generateCsrf();
    // For pages that update themselves (src/views/partials/auto-refresh.njk): ?refresh=off stops it.
    const query = req.url.indexOf('?');
    reply.locals.pathOnly = query === -1 ? req.url : req.url.slice(0, query);
    reply.locals.autoRefresh = !/[?&]refresh=off(&|$)/.test(req.url);
  });

  // Every feature route, as registered: tests walk this list to check each route as each role.
  const routeTable: { method: string; url: string }[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  for (const feature of features) await app.register(feature.routes);

  // Background work (email delivery) starts with the app and stops before the database closes.
  // Settings are read on every request and inside transactions: load them before the first one.
  app.addHook('onReady', async () => {
    await services.settings.get();
  });
  let sweep: NodeJS.Timeout | undefined;
  let privacySweep: NodeJS.Timeout | undefined;
  if (startJobs) {
    app.addHook('onReady', async () => {
      await services.queue.start();
      await services.mail.startWorker();
      await services.newsletters.startWorker();
      await services.registerImports.startWorker();
      sweep = setInterval(() => {
        services.mail.requeueStale().catch((err: unknown) => app.log.error({ err }, 'mail sweep failed'));
      }, 60_000);
      sweep.unref();
      const forgetOldIps = () =>
        forgetOldIpAddresses(services).catch((err: unknown) => app.log.error({ err }, 'erasing old internet addresses failed'));
      // Awaited once at start, so nothing written after start-up is caught by a pass still running.
      await forgetOldIps();
      privacySweep = setInterval(() => void forgetOldIps(), 60 * 60_000);
      privacySweep.unref();
    });
  }
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    clearInterval(privacySweep);
    await services.newsletters.stopWorker();
    await services.queue.stop();
    services.transport.close();
  });
  return app;
}

// Internet addresses stored with comments, comment reports and organisation registrations are
// needed only for the per-address limits and for blocking a sender; after this many days they are
// erased (checked at start and every hour).
export const IP_RETENTION_DAYS = 30;

export async function forgetOldIpAddresses(services: Pick<Services, 'comments' | 'organisations'>, now = new Date()) {
  const before = new Date(now.getTime() - IP_RETENTION_DAYS * 86_400_000);
  return (await services.comments.forgetIpAddressesBefore(before)) + (await services.organisations.forgetIpAddressesBefore(before));
}

export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DbHandle;
    services: Services;
    routeTable: { method: string; url: string }[];
  }
}
