import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyServerOptions } from 'fastify';
import formbody from '@fastify/formbody';
import type { Config } from './config.ts';
import type { DbHandle } from '#src/db/client.ts';
import views, { createNunjucks } from '#src/plugins/views.ts';
import assets from '#src/plugins/assets.ts';
import security from '#src/plugins/security.ts';
import errors, { answerClientError, sendFault } from '#src/plugins/errors.ts';
import input from '#src/plugins/input.ts';
import drain from '#src/plugins/drain.ts';
import language from '#src/plugins/language.ts';
import { createI18n } from '#src/lib/i18n.ts';
import { collectExtensions, type Extensions, type Feature, type FeatureContext } from '#src/platform/feature.ts';
import type { Services } from '#src/platform/services.ts';
import { platformModules } from '#src/platform/index.ts';
import { features } from '#src/features/index.ts';

export type BuildOptions = {
  config: Config;
  database: DbHandle;
  logger?: FastifyServerOptions['logger'];
  // Run queue workers and timers in this process (the default). Tools that only need the routes turn it off.
  startJobs?: boolean;
  // The platform and features to build (tests may add a feature of their own).
  modules?: readonly Feature[];
};

// Composition root: the cross-cutting plugins, then every platform module and feature from the
// lists, each plugged in through its manifest (src/platform/feature.ts). No domain logic lives here.
export async function buildApp({
  config,
  database,
  logger = false,
  startJobs = true,
  modules = [...platformModules, ...features],
}: BuildOptions) {
  const i18n = createI18n();
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    // Our pages for what Fastify and Node would otherwise answer with their own JSON (a bad URL
    // encoding, an over-long path parameter, headers too large); a request arriving while the
    // server drains is served, not refused (src/start.ts).
    frameworkErrors: (error, req, reply) => {
      sendFault(error, req, reply);
    },
    clientErrorHandler: (error, socket) => answerClientError(error, socket, i18n),
    return503OnClosing: false,
  });

  const extensions = collectExtensions(modules);
  const ctx: FeatureContext = {
    config,
    database,
    db: database.db,
    log: app.log,
    i18n,
    nunjucks: createNunjucks(config, i18n),
    services: {} as Services,
    extensions,
  };
  // Built once at boot, in list order, never on the first request.
  for (const module of modules) Object.assign(ctx.services, module.services?.(ctx));
  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('services', ctx.services);
  app.decorate('extensions', extensions);
  app.decorate('featureContext', ctx);
  app.decorate('i18n', i18n);

  await app.register(formbody);
  await app.register(assets, { isProduction: config.isProduction });
  await app.register(views, { env: ctx.nunjucks, i18n });
  await app.register(security, { config });
  await app.register(language, { i18n, secure: config.isProduction, baseUrl: config.baseUrl });
  await app.register(errors);
  await app.register(input);
  await app.register(drain);

  const { nav } = extensions;
  // Set on every request (before any hook can fail) so even an error page has the full layout.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/assets/')) return;
    reply.locals.org = await ctx.services.settings.get();
    reply.locals.adminLinks = nav.admin;
    reply.locals.mainNav = nav.main;
    reply.locals.footerNav = nav.footer;
    reply.locals.csrfToken = () => reply.generateCsrf();
    // For pages that update themselves (src/views/partials/auto-refresh.njk): ?refresh=off stops it.
    const query = req.url.indexOf('?');
    reply.locals.pathOnly = query === -1 ? req.url : req.url.slice(0, query);
    reply.locals.autoRefresh = !/[?&]refresh=off(&|$)/.test(req.url);
  });

  // Every route, as registered: tests walk this list to check each route as each role.
  const routeTable: { method: string; url: string }[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  for (const module of modules) if (module.routes) await app.register(module.routes);

  app.addHook('onReady', async () => {
    for (const module of modules) await module.ready?.(ctx);
    if (startJobs) for (const module of modules) await module.jobs?.start(ctx);
  });
  // Background work stops before the database closes, last started first.
  app.addHook('onClose', async () => {
    for (const module of [...modules].reverse()) await module.jobs?.stop?.(ctx);
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DbHandle;
    services: Services;
    extensions: Extensions;
    // The same context the manifests' hooks receive, for routes that run a hook.
    featureContext: FeatureContext;
    routeTable: { method: string; url: string }[];
  }
}
