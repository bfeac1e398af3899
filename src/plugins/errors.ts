import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { AppError } from '#src/lib/errors.ts';

const pages: Record<number, { title: string; template: string }> = {
  400: { title: 'There is a problem with your request', template: 'errors/400.njk' },
  403: { title: 'You cannot see this page', template: 'errors/403.njk' },
  404: { title: 'Page not found', template: 'errors/404.njk' },
  413: { title: 'What you sent is too large', template: 'errors/400.njk' },
  429: { title: 'Too many attempts', template: 'errors/429.njk' },
  500: { title: 'Sorry, there is a problem with the service', template: 'errors/500.njk' },
  503: { title: 'Sorry, the service is unavailable', template: 'errors/500.njk' },
};

// One place turns every fault into a friendly page with a reference, never a stack trace.
export default fp(
  async (app) => {
    app.setNotFoundHandler((req, reply) => {
      // A missing image or stylesheet is not a page: a short plain answer, no layout.
      if (req.url.startsWith('/assets/')) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      return reply.render('errors/404.njk', { pageTitle: pages[404]!.title, path: req.url }, 404);
    });

    // A request answered before its body arrived (refused on its headers: not signed in, not
    // allowed) ends its connection, so the server never reads an upload it has already refused.
    app.addHook('onSend', async (req, reply) => {
      if (!req.raw.complete && !reply.hasHeader('connection')) reply.header('connection', 'close');
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
      if (wantsJson) return reply.code(status).send({ error: page.title, code, reference: req.id });
      try {
        return reply.render(page.template, { pageTitle: page.title, code, reference: req.id, status }, status);
      } catch (renderError) {
        req.log.error({ err: renderError }, 'error page failed to render');
        return reply.code(status).type('text/plain; charset=utf-8').send(`${page.title}. Reference: ${req.id}`);
      }
    });
  },
  { name: 'errors' },
);
