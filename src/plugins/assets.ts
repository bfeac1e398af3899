import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

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
    app.get('/assets/nhsuk/nhsuk-frontend.min.css', async (_req, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', opts.isProduction ? 'public, max-age=604800' : 'public, max-age=0')
        .send(css),
    );
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
