import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { ifNoneMatchHits, strongEtag } from '#src/lib/etag.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const nhsDist = here('../../node_modules/nhsuk-frontend/dist/nhsuk');

// NHS.UK frontend's stylesheet loads the Frutiger font from assets.nhs.uk. The font is licensed
// for NHS services only and we make no third-party requests, so we serve the stylesheet without
// those @font-face rules; pages use the frontend's own fallback (Arial).
export function nhsStylesheetWithoutRemoteFonts(): string {
  const css = readFileSync(`${nhsDist}/nhsuk-frontend.min.css`, 'utf8');
  // Its icons are referenced as /assets/images/…; they are served with the rest of the frontend.
  return css.replace(/@font-face\{[^}]*\}/g, '').replaceAll('url(/assets/images/', 'url(/assets/nhsuk/assets/images/');
}

// Static files: NHS.UK frontend under /assets/nhsuk/, ours (src/public) under /assets/.
export default fp(
  async (app, opts: { isProduction: boolean }) => {
    const css = nhsStylesheetWithoutRemoteFonts();
    // A validator, as the static files below have: in development (max-age=0) a browser asks again
    // on every page and gets 304 instead of the 280 KB again, which it would also parse again.
    const etag = strongEtag(css);
    app.get('/assets/nhsuk/nhsuk-frontend.min.css', async (req, reply) => {
      reply.header('cache-control', opts.isProduction ? 'public, max-age=604800' : 'public, max-age=0').header('etag', etag);
      if (ifNoneMatchHits(req.headers['if-none-match'], [etag])) return reply.code(304).send();
      return reply.type('text/css; charset=utf-8').send(css);
    });
    await app.register(fastifyStatic, {
      root: nhsDist,
      prefix: '/assets/nhsuk/',
      allowedPath: (path) => /\.(css|js|svg|png|ico|json|woff2?)$/.test(path),
      maxAge: opts.isProduction ? '7d' : 0,
    });
    await app.register(fastifyStatic, {
      root: here('../public'),
      prefix: '/assets/',
      decorateReply: false,
      maxAge: opts.isProduction ? '1h' : 0,
    });
  },
  { name: 'assets' },
);
