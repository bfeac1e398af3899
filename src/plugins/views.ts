import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import { formatDate, formatDateTime, plainTextToHtml } from '#src/lib/text.ts';
import type { Config } from '#src/config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Templates are found in src/views (layout, partials, error pages), in each platform module's and
// each feature's folder (referred to as "<module or feature>/views/<name>.njk", so their names
// never clash) and in nhsuk-frontend (its component macros).
export const templatePaths = [here('../views'), here('../platform'), here('../features'), here('../../node_modules/nhsuk-frontend/dist')];

export function createNunjucks(config: Pick<Config, 'isProduction' | 'baseUrl'>) {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templatePaths), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('govDate', formatDate);
  env.addFilter('govDateTime', formatDateTime);
  env.addFilter('isoDate', (d: Date | string | null) => (d ? new Date(d).toISOString() : ''));
  // Comment bodies are rendered on every uncached story page; their HTML never changes.
  const plainTextCache = new Map<string, string>();
  env.addFilter('plainText', (s: string) => {
    const text = s ?? '';
    let html = plainTextCache.get(text);
    if (html === undefined) {
      if (plainTextCache.size >= 20_000) plainTextCache.clear();
      html = plainTextToHtml(text);
      plainTextCache.set(text, html);
    }
    return new nunjucks.runtime.SafeString(html);
  });
  env.addFilter('pluralise', (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`);
  env.addGlobal('isProduction', config.isProduction);
  env.addGlobal('baseUrl', config.baseUrl);
  return env;
}

// Per-request values every page may use (signed-in person, CSRF token, organisation settings).
// Features add to reply.locals in hooks; reply.render merges them under the page's own data.
export type Locals = Record<string, unknown>;

export default fp(
  async (app, opts: { env: nunjucks.Environment }) => {
    const { env } = opts;
    app.decorate('nunjucks', env);
    app.decorateReply('locals', null as unknown as Locals);
    app.addHook('onRequest', async (_req, reply) => {
      reply.locals = {};
    });
    app.decorateReply('renderToString', function (this: import('fastify').FastifyReply, name: string, data: Locals = {}) {
      return env.render(name, { ...this.locals, ...data });
    });
    app.decorateReply('render', function (this: import('fastify').FastifyReply, name: string, data: Locals = {}, status?: number) {
      const html = env.render(name, { ...this.locals, ...data });
      if (status) this.code(status);
      return this.type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'views' },
);

declare module 'fastify' {
  interface FastifyInstance {
    nunjucks: nunjucks.Environment;
  }
  interface FastifyReply {
    locals: Locals;
    render(name: string, data?: Locals, status?: number): FastifyReply;
    renderToString(name: string, data?: Locals): string;
  }
}
