import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '#src/config.ts';
import { AppError } from '#src/lib/errors.ts';
import { fromOwnPage, ownOrigins } from '#src/lib/same-origin.ts';

// Headers, cookies, CSRF and rate limiting: the baseline every route gets.
export default fp(
  async (app, opts: { config: Config }) => {
    const { config } = opts;
    // Helmet's headers, worked out once here and set on every response. @fastify/helmet, which we
    // used before, built Helmet again for each request, parsing the policy each time: 38% of what
    // the cached story page allocated per request (ADR 10, "Later: the security headers worked out
    // once"). The headers do not depend on the request, so the result is the same.
    const headers = helmetHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      hsts: config.isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      crossOriginEmbedderPolicy: false,
    });
    // As the reply's own headers, so a route may still replace one (a private file's stricter
    // policy). Not on the response itself as Helmet sets them: one header set there sends Node the
    // slow way for all of a response's headers, copying each into a list of its own.
    app.addHook('onRequest', (_req, reply, done) => {
      reply.headers(headers);
      done();
    });

    await app.register(cookie, { secret: config.authSecret });
    await app.register(csrf, {
      cookieKey: 'coproduce.csrf',
      cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.isProduction, signed: true },
      getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf,
    });

    // Every state-changing route checks the token unless it opts out with config.csrf === false
    // (only RFC 8058 one-click unsubscribe and machine endpoints do). A route whose form sits on a
    // page cached for every anonymous reader ('signed-in') checks the token only for a signed-in
    // person; an anonymous post must come from our own pages, and the route checks its signed
    // stamp cookie, which browsers do not send with a cross-site POST (ADR 20).
    const origins = ownOrigins(config.baseUrl);
    app.addHook('preHandler', (req, reply, done) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return done();
      const mode = (req.routeOptions.config as { csrf?: boolean | 'signed-in' } | undefined)?.csrf;
      if (mode === false) return done();
      if (mode === 'signed-in' && !req.currentUser) {
        return done(fromOwnPage(req.headers, origins) ? undefined : new AppError('FORBIDDEN', 'Cross-site post refused'));
      }
      app.csrfProtection(req, reply, done);
    });

    // Per-route limits are declared with config.rateLimit on the route; nothing is limited globally.
    // With REDIS_URL the counters are shared by every instance; if Redis is away, requests are let
    // through rather than refused (the database-counted limits and password guesses still hold).
    // ioredis is loaded only when it is used (ADR 10).
    const redis = config.redisUrl
      ? new (await import('ioredis')).Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 })
      : undefined;
    if (redis) {
      redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis: rate limits'));
      app.addHook('onClose', async () => void (await redis.quit().catch(() => undefined)));
    }
    await app.register(rateLimit, {
      global: false,
      ...(redis ? { redis, nameSpace: 'coproduce:rate:', skipOnError: true } : {}),
      errorResponseBuilder: (_req, context) => {
        const err = new AppError('RATE_LIMITED', `Too many requests; try again in ${context.after}`);
        return err;
      },
    });
  },
  { name: 'security' },
);

// The headers Helmet's middleware sets for these options, read by running it once against a
// response that only records them. Every one of its middlewares sets a fixed value, or, for the
// policy, a string built from the options; one that failed would stop the app from starting.
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const set = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => void set.set(name.toLowerCase(), value),
    removeHeader: (name: string) => void set.delete(name.toLowerCase()),
  };
  let failure: Error | undefined;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) failure = err instanceof Error ? err : new Error('Helmet refused the options');
  });
  if (failure) throw failure;
  return Object.fromEntries(set);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    // false on the few routes that must take a POST without a CSRF token (RFC 8058, webhooks);
    // 'signed-in' where only a signed-in person's post carries one (forms on cached pages).
    csrf?: boolean | 'signed-in';
  }
}
