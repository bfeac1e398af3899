import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyServerOptions } from 'fastify';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { Config } from './config.ts';
import type { DbHandle } from './db/client.ts';
import { createServices, type Services } from './services.ts';
import views from './plugins/views.ts';
import security from './plugins/security.ts';
import errors from './plugins/errors.ts';
import authPlugin from './features/auth/plugin.ts';
import { createAuth } from './features/auth/better-auth.ts';
import { features } from './features/index.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export type BuildOptions = {
  config: Config;
  database: DbHandle;
  logger?: FastifyServerOptions['logger'];
};

// Composition root: plugins first, then every feature. No domain logic lives here.
export async function buildApp({ config, database, logger = false }: BuildOptions) {
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  });

  const services = createServices(database.db, config);
  const auth = createAuth(database.db, config);
  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('services', services);

  await app.register(formbody);
  await app.register(fastifyStatic, {
    root: here('../node_modules/nhsuk-frontend/dist/nhsuk'),
    prefix: '/assets/nhsuk/',
    allowedPath: (path) => /\.(css|js|svg|png|ico|json|woff2?)$/.test(path),
    maxAge: config.isProduction ? '7d' : 0,
  });
  await app.register(fastifyStatic, {
    root: here('./public'),
    prefix: '/assets/',
    decorateReply: false,
    maxAge: config.isProduction ? '1h' : 0,
  });
  await app.register(views, { config });
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
  });

  for (const feature of features) await app.register(feature.routes);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DbHandle;
    services: Services;
  }
}
