import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { defaultLang, isLang, languages, type I18n, type Lang, type Translator } from '#src/lib/i18n.ts';

export const LANG_COOKIE = 'coproduce.lang';
type LanguageLinks = {
  otherLanguages: { code: string; name: string; href: string }[];
  alternates: { code: string; href: string }[];
};
const YEAR_SECONDS = 365 * 24 * 60 * 60;

// The language of every page: `?lang=cy` (a link that works without JavaScript) chooses it and a
// cookie remembers it; otherwise the cookie; otherwise English. Every page gets `lang`, a link to
// each other language that keeps the person on the same page, and hreflang alternates.
// A signed-in contributor's choice is also stored on their profile (for their emails): this plugin
// marks the request (`req.languageChosen`) and the identity module passes it on as an event.
export default fp(
  async (app, opts: { i18n: I18n; secure: boolean; baseUrl: string }) => {
    const { i18n, secure, baseUrl } = opts;
    app.decorateRequest('lang', defaultLang);
    app.decorateRequest('tr', null as unknown as Translator);
    app.decorateRequest('languageChosen', null);
    app.addHook('onRequest', async (req, reply) => {
      const asked = (req.query as Record<string, unknown> | undefined)?.lang;
      const cookie = req.cookies?.[LANG_COOKIE];
      let lang: Lang = defaultLang;
      if (isLang(asked)) {
        lang = asked;
        req.languageChosen = asked;
        if (cookie !== asked)
          reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax', httpOnly: true, secure, maxAge: YEAR_SECONDS });
      } else if (isLang(cookie)) lang = cookie;
      req.lang = lang;
      req.tr = i18n.translator(lang);
      if (req.url.startsWith('/assets/')) return;
      reply.locals.lang = lang;
      const links = linksFor(pageAddress(req), lang);
      reply.locals.otherLanguages = links.otherLanguages;
      reply.locals.alternates = req.method === 'GET' ? links.alternates : [];
    });

    // The links for an address and language, made once and shared by the requests for the same
    // address (templates only read them): most requests are for a few addresses, and making them
    // took three URLSearchParams a request. Bounded in number and in the length of an address kept,
    // so addresses that never come again, or long ones made up to fill memory, cost little.
    const links = new Map<string, LanguageLinks>();
    function linksFor(here: string, lang: Lang): LanguageLinks {
      if (here.length > 200) return languageLinks(baseUrl, here, lang);
      const key = `${lang} ${here}`;
      let found = links.get(key);
      if (!found) {
        if (links.size >= 1_000) links.clear();
        found = languageLinks(baseUrl, here, lang);
        links.set(key, found);
      }
      return found;
    }
  },
  { name: 'language', dependencies: ['views'] },
);

// The page the person is on. A form that was sent and shown again with errors has the address it
// was sent to, which may not be a page: the switch then leads back to the page the form was on.
function pageAddress(req: FastifyRequest): string {
  if (req.method === 'GET' || req.method === 'HEAD') return req.url;
  const referer = req.headers.referer;
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.host === req.headers.host) return `${url.pathname}${url.search}`;
    } catch {
      // not an address: fall through
    }
  }
  return '/';
}

// A page's links to itself in each other language (the switch) and to every language (hreflang
// alternates, absolute).
export function languageLinks(baseUrl: string, here: string, lang: Lang): LanguageLinks {
  return {
    otherLanguages: languages.filter((l) => l.code !== lang).map((l) => ({ code: l.code, name: l.name, href: withLang(here, l.code) })),
    alternates: languages.map((l) => ({ code: l.code, href: `${baseUrl}${withLang(here, l.code)}` })),
  };
}

export function withLang(address: string, lang: string): string {
  const [path, query = ''] = address.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set('lang', lang);
  return `${path}?${params.toString()}`;
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    tr: Translator;
    // Set when this request chose a language with ?lang= (to be remembered for a signed-in person).
    languageChosen: Lang | null;
  }
}
