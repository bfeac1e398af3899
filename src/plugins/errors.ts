import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { AppError } from '#src/lib/errors.ts';
import { msg } from '#src/lib/messages.ts';
import { languages } from '#src/lib/i18n.ts';

// Titles are catalogue keys (locales/<lang>/errors.json): the page is in the reader's language.
const pages: Record<number, { title: string; template: string }> = {
  400: { title: 'errors.400.title', template: 'errors/400.njk' },
  403: { title: 'errors.403.title', template: 'errors/403.njk' },
  404: { title: 'errors.404.title', template: 'errors/404.njk' },
  413: { title: 'errors.413.title', template: 'errors/400.njk' },
  429: { title: 'errors.429.title', template: 'errors/429.njk' },
  500: { title: 'errors.500.title', template: 'errors/500.njk' },
  503: { title: 'errors.503.title', template: 'errors/500.njk' },
};

// An error page's language switch leads to the home page in the other language: the address that
// failed may hold something that should not be repeated (another person's id, say), and it is
// not a page to come back to.
const errorPageLanguages = (lang: string | undefined) => ({
  otherLanguages: languages.filter((l) => l.code !== lang).map((l) => ({ code: l.code, name: l.name, href: `/?lang=${l.code}` })),
  alternates: [],
});

// One place turns every fault into a friendly page with a reference, never a stack trace.
export default fp(
  async (app) => {
    app.setNotFoundHandler((req, reply) => {
      // A missing image or stylesheet is not a page: a short plain answer, no layout.
      if (req.url.startsWith('/assets/')) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      return reply.render('errors/404.njk', { pageTitle: msg(pages[404]!.title), ...errorPageLanguages(req.lang) }, 404);
    });

    app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
      let status = error.statusCode ?? 500;
      let code = error instanceof AppError ? error.code : (error.code ?? 'INTERNAL');
      if (typeof code === 'string' && code.startsWith('FST_CSRF')) {
        status = 403;
        code = 'CSRF_INVALID';
      }
      if (status < 400 || status > 599) status = 500;
      if (status >= 500) req.log.error({ err: error, code }, 'request failed');
      else req.log.info({ code, message: error.message }, 'request refused');

      const page = pages[status] ?? (status >= 500 ? pages[500]! : pages[400]!);
      if (reply.sent) return;
      if (status === 401) {
        const next = encodeURIComponent(req.url);
        return reply.redirect(`/sign-in?next=${next}`);
      }
      const wantsJson = req.headers.accept?.includes('application/json') && !req.headers.accept.includes('text/html');
      const title = req.tr ? req.tr.t(page.title) : page.title;
      if (wantsJson) return reply.code(status).send({ error: title, code, reference: req.id });
      try {
        return reply.render(
          page.template,
          { pageTitle: msg(page.title), code, reference: req.id, status, ...errorPageLanguages(req.lang) },
          status,
        );
      } catch (renderError) {
        req.log.error({ err: renderError }, 'error page failed to render');
        return reply.code(status).type('text/plain; charset=utf-8').send(`${title}. Reference: ${req.id}`);
      }
    });
  },
  { name: 'errors' },
);
