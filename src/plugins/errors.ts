import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, codeForStatus, type AppErrorCode } from '#src/lib/errors.ts';
import { classifyFault } from '#src/lib/faults.ts';
import { msg } from '#src/lib/messages.ts';
import { languages, type I18n } from '#src/lib/i18n.ts';

// Titles are catalogue keys (locales/<lang>/errors.json): the page is in the reader's language.
const pages: Record<number, { title: string; template: string }> = {
  400: { title: 'errors.400.title', template: 'errors/400.njk' },
  403: { title: 'errors.403.title', template: 'errors/403.njk' },
  404: { title: 'errors.404.title', template: 'errors/404.njk' },
  413: { title: 'errors.413.title', template: 'errors/400.njk' },
  414: { title: 'errors.414.title', template: 'errors/400.njk' },
  415: { title: 'errors.415.title', template: 'errors/400.njk' },
  429: { title: 'errors.429.title', template: 'errors/429.njk' },
  431: { title: 'errors.431.title', template: 'errors/400.njk' },
  500: { title: 'errors.500.title', template: 'errors/500.njk' },
  503: { title: 'errors.503.title', template: 'errors/503.njk' },
};

// An error page's language switch leads to the home page in the other language: the address that
// failed may hold something that should not be repeated (another person's id, say), and it is
// not a page to come back to.
const errorPageLanguages = (lang: string | undefined) => ({
  otherLanguages: languages.filter((l) => l.code !== lang).map((l) => ({ code: l.code, name: l.name, href: `/?lang=${l.code}` })),
  alternates: [],
});
// Seconds a client should wait before trying again after a 503.
export const RETRY_AFTER_SECONDS = 30;

export function statusAndCode(error: FastifyError | AppError): { status: number; code: AppErrorCode; logged: unknown } {
  if (error instanceof AppError) return { status: error.statusCode, code: error.code, logged: error.code };
  const fault = classifyFault(error);
  if (fault) return { status: 503, code: fault, logged: error.code };
  let status = error.statusCode ?? 500;
  if (typeof error.code === 'string' && error.code.startsWith('FST_CSRF')) return { status: 403, code: 'CSRF_INVALID', logged: error.code };
  if (status < 400 || status > 599) status = 500;
  return { status, code: codeForStatus(status), logged: error.code };
}

// Whether the client asked for JSON rather than a page.
const wantsJson = (req: FastifyRequest) => !!req.headers.accept?.includes('application/json') && !req.headers.accept.includes('text/html');

// The fields of a form post worth giving back on a 503 page, so nothing typed is lost: what the
// person wrote, never a password, token or spam-trap field.
function typedValues(req: FastifyRequest): { name: string; value: string }[] {
  if (req.method !== 'POST' || !req.body || typeof req.body !== 'object') return [];
  return Object.entries(req.body as Record<string, unknown>)
    .filter(([name, value]) => typeof value === 'string' && value.trim() && !/^_|password|token|stamp|website|^next$/i.test(name))
    .map(([name, value]) => ({ name, value: value as string }))
    .slice(0, 30);
}

// One place turns every fault into a friendly page (or a small JSON problem document) with a
// reference, never a stack trace and never a framework's or driver's own code.
export function sendFault(error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
  const { status, code, logged } = statusAndCode(error);
  if (code === 'STORAGE_FULL' || code === 'DATABASE_UNAVAILABLE') req.server.faultsSeen[code] = Date.now();
  if (status >= 500) req.log.error({ err: error, code, cause: logged }, 'request failed');
  else req.log.info({ code, cause: logged, message: error.message }, 'request refused');
  if (reply.sent) return;
  if (status === 401) return reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`);
  const page = pages[status] ?? (status >= 500 ? pages[500]! : pages[400]!);
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  // A framework error can come before the language hook has run: then the page is in English.
  const lang = req.lang ?? 'en';
  const title = req.server.i18n.translator(lang).t(page.title);
  if (wantsJson(req)) {
    return reply.code(status).type('application/problem+json; charset=utf-8').send({ title, status, code, reference: req.id });
  }
  try {
    // Rendered without reply.render: a framework error's reply (frameworkErrors) has no decorators.
    const data = {
      lang,
      pageTitle: title,
      code,
      reference: req.id,
      status,
      typed: status === 503 ? typedValues(req) : [],
      ...errorPageLanguages(lang),
    };
    const html = req.server.nunjucks.render(page.template, { ...reply.locals, ...data });
    return reply.code(status).type('text/html; charset=utf-8').send(html);
  } catch (renderError) {
    req.log.error({ err: renderError }, 'error page failed to render');
    return reply.code(status).type('text/plain; charset=utf-8').send(`${title}. Reference: ${req.id}`);
  }
}

// Errors Node's HTTP parser meets before there is a request (headers too large, a malformed
// request line): answered on the socket with a short page, never Fastify's default JSON.
// There is no request yet, so no language: the page is in English.
export function answerClientError(error: Error & { code?: string }, socket: Socket, i18n: I18n) {
  if (!socket.writable) return socket.destroy();
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const en = i18n.translator('en');
  const title = en.t((pages[status] ?? pages[400]!).title);
  const body = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p><a href="/">${en.t('errors.homeLink')}</a></p></body></html>\n`;
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `Content-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export default fp(
  async (app) => {
    // When each kind of database fault was last answered: /healthz reports recent storage faults.
    app.decorate('faultsSeen', { STORAGE_FULL: 0, DATABASE_UNAVAILABLE: 0 });
    app.setNotFoundHandler((req, reply) => {
      // A missing image or stylesheet is not a page: a short plain answer, no layout.
      if (req.url.startsWith('/assets/')) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      return reply.render('errors/404.njk', { pageTitle: msg(pages[404]!.title), ...errorPageLanguages(req.lang) }, 404);
    });

    // A request answered before its body arrived (refused on its headers: not signed in, not
    // allowed) ends its connection, so the server never reads an upload it has already refused.
    app.addHook('onSend', async (req, reply) => {
      if (!req.raw.complete && !reply.hasHeader('connection')) reply.header('connection', 'close');
    });

    app.setErrorHandler((error: FastifyError | AppError, req, reply) => sendFault(error, req, reply));
  },
  { name: 'errors' },
);

declare module 'fastify' {
  interface FastifyInstance {
    // The catalogues (decorated in src/app.ts), for pages rendered outside reply.render.
    i18n: I18n;
    faultsSeen: Record<'STORAGE_FULL' | 'DATABASE_UNAVAILABLE', number>;
  }
}
