import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import { plainTextToHtml } from '#src/lib/text.ts';
import type { I18n, Translator } from '#src/lib/i18n.ts';
import { createFragmentCache, createFragmentSink, type FragmentSink } from '#src/lib/fragment-cache.ts';
import type { Config } from '#src/config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Templates are found in src/views (layout, partials, error pages), in each platform module's and
// each feature's folder (referred to as "<module or feature>/views/<name>.njk", so their names
// never clash) and in nhsuk-frontend (its component macros).
export const templatePaths = [here('../views'), here('../platform'), here('../features'), here('../../node_modules/nhsuk-frontend/dist')];

// Every word on a page comes from the catalogue of the page's language (`lang` in the data the
// template is rendered with; English when there is none): `t('key', { values })` for text,
// `tHtml('key', …)` for text with links written in the catalogue (values escaped), and the filters
// `message` (a msg() from validation), `govDate`, `govDateTime`, `number`, `hours` and `money`.
// Nunjucks calls globals and filters with the render's context as `this`. A macro that uses them
// must be imported `with context` (tests/i18n.test.ts checks).
type RenderContext = { ctx?: { lang?: string; fragmentSink?: FragmentSink } } | undefined;

// Room for the comments of the busiest pages in both languages (~1,500 characters each with its
// key): about 4,000 comments, some 16 MB of strings at most.
const FRAGMENT_CACHE_CHARS = 6_000_000;
const keyPart = (v: unknown): string => {
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
};

const environmentOptions = { autoescape: true, throwOnUndefined: false };

// Templates compiled once per process and shared by every environment it makes: one in a server,
// one per test file's app in a test worker (each compiled every template it rendered again, about
// 5% of the unit tests' CPU). A compiled template is a function of the environment it is rendered
// in (its filters, globals and loader come in as arguments), so sharing it shares no state; a file
// whose text has changed is compiled again. A template that does not compile is left to Nunjucks,
// which reports the error as usual.
type Compiled = { src: string; code: Record<string, unknown> };
const compiledTemplates = new Map<string, Compiled>();
const { compiler } = nunjucks as unknown as {
  compiler: { compile(src: string, asyncFilters: string[], extensions: unknown[], name: string, opts: object): string };
};
function sharedCompileLoader(paths: string[]) {
  const loader = new nunjucks.FileSystemLoader(paths);
  const read = loader.getSource.bind(loader);
  loader.getSource = (name: string) => {
    const source = read(name);
    if (!source) return source;
    let compiled = compiledTemplates.get(source.path);
    if (compiled?.src !== source.src) {
      try {
        // As Nunjucks loads what it compiles: the code returns the template's render functions.
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled from our own template files
        const load = new Function(compiler.compile(source.src, [], [], source.path, environmentOptions)) as () => Record<string, unknown>;
        compiled = { src: source.src, code: load() };
        compiledTemplates.set(source.path, compiled);
      } catch {
        return source;
      }
    }
    return { ...source, src: { type: 'code', obj: compiled.code } } as unknown as typeof source;
  };
  return loader;
}

export function createNunjucks(config: Pick<Config, 'isProduction' | 'baseUrl'>, i18n: I18n) {
  const env = new nunjucks.Environment(sharedCompileLoader(templatePaths), environmentOptions);
  const tr = (context: RenderContext): Translator => i18n.translator(context?.ctx?.lang);
  env.addGlobal('t', function (this: RenderContext, key: string, values?: Record<string, unknown>) {
    return tr(this).t(key, values);
  });
  env.addGlobal('tHtml', function (this: RenderContext, key: string, values?: Record<string, unknown>) {
    return new nunjucks.runtime.SafeString(tr(this).html(key, values));
  });
  // Nunjucks' own `trim` strips with /^\s*|\s*$/g, which tries the pattern at every character of
  // the string: the NHS macros trim whole blocks of rendered markup with it (a few per cent of a
  // page's render), and a 100,000-character value shown back in a form took tens of milliseconds.
  // String.prototype.trim removes the same characters (JavaScript's \s is its white space and line
  // terminators) looking only at the ends; marked-safe input stays marked safe, as before.
  env.addFilter('trim', (s: string | nunjucks.runtime.SafeString) =>
    s instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(String(s).trim()) : s.trim(),
  );
  env.addFilter('message', function (this: RenderContext, m: string) {
    return tr(this).message(m);
  });
  env.addFilter('govDate', function (this: RenderContext, d: Date | string | null) {
    return tr(this).date(d);
  });
  env.addFilter('govDateTime', function (this: RenderContext, d: Date | string | null) {
    return tr(this).dateTime(d);
  });
  env.addFilter('number', function (this: RenderContext, n: number) {
    return tr(this).number(n);
  });
  // Minutes as hours, to at most two decimal places (20 minutes: 0.33).
  env.addFilter('hours', function (this: RenderContext, minutes: number) {
    return tr(this).number(Math.round((minutes * 100) / 60) / 100);
  });
  env.addFilter('money', function (this: RenderContext, pence: number) {
    return tr(this).money(pence);
  });
  env.addFilter('isoDate', (d: Date | string | null) => (d ? new Date(d).toISOString() : ''));
  // Comment bodies are rendered on every uncached story page; their HTML never changes. Most are
  // drawn through the fragment cache below, so this one only needs room for a few pages' worth.
  const plainTextCache = new Map<string, string>();
  env.addFilter('plainText', (s: string) => {
    const text = s ?? '';
    let html = plainTextCache.get(text);
    if (html === undefined) {
      if (plainTextCache.size >= 2_000) plainTextCache.clear();
      html = plainTextToHtml(text);
      plainTextCache.set(text, html);
    }
    return new nunjucks.runtime.SafeString(html);
  });
  // `{% call fragment(part, …) %}markup{% endcall %}`: the markup rendered once and kept under the
  // page's language and the parts, which must name everything the markup is made from. In a page
  // rendered to bytes (reply.renderToBytes) the fragment is a marker until the page is joined, so
  // its output must go to the page as it is, never through a filter.
  const fragments = createFragmentCache(FRAGMENT_CACHE_CHARS);
  env.addGlobal('fragment', function (this: RenderContext, ...args: unknown[]) {
    const { caller } = args.pop() as { caller: () => unknown };
    const key = [this?.ctx?.lang ?? '', ...args.map(keyPart)].join('\u0000');
    const html = fragments.get(key, () => String(caller()));
    const sink = this?.ctx?.fragmentSink;
    return new nunjucks.runtime.SafeString(sink ? sink.hold(html) : html);
  });
  env.addGlobal('isProduction', config.isProduction);
  env.addGlobal('baseUrl', config.baseUrl);
  return env;
}

// Per-request values every page may use (signed-in person, CSRF token, organisation settings).
// Features add to reply.locals in hooks; reply.render merges them under the page's own data.
export type Locals = Record<string, unknown>;

export default fp(
  async (app, opts: { env: nunjucks.Environment; i18n: I18n }) => {
    const { env, i18n } = opts;
    app.decorate('nunjucks', env);
    app.decorateReply('locals', null as unknown as Locals);
    app.addHook('onRequest', async (_req, reply) => {
      reply.locals = {};
    });
    const renderPage = (name: string, data: Locals) => {
      const context = translateMessages(data, i18n);
      return errorPrefixInLanguage(env.render(name, context), context, i18n);
    };
    // The page as UTF-8 bytes, for a page kept and sent as bytes (the cached story page): its
    // fragments are joined as bytes (createFragmentSink).
    app.decorateReply('renderToBytes', function (this: import('fastify').FastifyReply, name: string, data: Locals = {}) {
      const fragmentSink = createFragmentSink();
      return fragmentSink.bytes(renderPage(name, { ...this.locals, ...data, fragmentSink }));
    });
    app.decorateReply('render', function (this: import('fastify').FastifyReply, name: string, data: Locals = {}, status?: number) {
      const html = renderPage(name, { ...this.locals, ...data });
      if (status) this.code(status);
      return this.type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'views' },
);

// Validation speaks in messages (msg() in lib/messages.ts); the page they are shown on is in one
// language. The page title, the errors beside each field and the error summary are translated here,
// once, so no route or template has to.
function translateMessages(data: Locals, i18n: I18n): Locals {
  const tr = i18n.translator(data.lang as string | undefined);
  if (typeof data.pageTitle === 'string') data.pageTitle = tr.message(data.pageTitle);
  const errors = data.errors;
  if (errors && typeof errors === 'object' && !Array.isArray(errors)) {
    data.errors = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, typeof v === 'string' ? tr.message(v) : v]));
  }
  if (Array.isArray(data.errorList)) {
    data.errorList = (data.errorList as { text?: unknown }[]).map((e) =>
      typeof e?.text === 'string' ? { ...e, text: tr.message(e.text) } : e,
    );
  }
  return data;
}

// NHS.UK's error message says "Error:" to screen readers before each field's error, in English
// unless every call passes its own words. Components cannot see the page's language, so pages in
// another language have that word replaced here, once, only when the page shows errors.
const ERROR_PREFIX = '<span class="nhsuk-u-visually-hidden">Error: </span>';
function errorPrefixInLanguage(html: string, data: Locals, i18n: I18n): string {
  if (!data.errors || !data.lang || data.lang === 'en' || !html.includes(ERROR_PREFIX)) return html;
  const word = i18n.translator(data.lang as string).t('common.errorWord');
  return html.replaceAll(ERROR_PREFIX, `<span class="nhsuk-u-visually-hidden">${word}: </span>`);
}

declare module 'fastify' {
  interface FastifyInstance {
    nunjucks: nunjucks.Environment;
  }
  interface FastifyReply {
    locals: Locals;
    render(name: string, data?: Locals, status?: number): FastifyReply;
    renderToBytes(name: string, data?: Locals): Buffer;
  }
}
