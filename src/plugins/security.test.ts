import { describe, expect, it } from 'vitest';
import { buildTestApp } from '#tests/helpers/app.ts';

// The security headers every response carries (ADR 6), written out in full: they are worked out
// once when the app is built (src/plugins/security.ts), so this is what each request must still get.
const policy =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';" +
  "form-action 'self';frame-ancestors 'none';base-uri 'self';object-src 'none'";
const everywhere = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('in development', async () => {
  const { app } = await buildTestApp({ isProduction: false });

  it('sends the same security headers with a page, a missing page and an asset, and no HSTS', async () => {
    for (const url of ['/', '/no-such-page', '/assets/app.js']) {
      const res = await app.inject(url);
      expect(res.headers, url).toMatchObject({ ...everywhere, 'content-security-policy': policy });
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('sends them with a refused post too', async () => {
    const res = await app.inject({ method: 'POST', url: '/sign-in', payload: { email: 'someone@example.org' } });
    expect(res.statusCode).toBe(403);
    expect(res.headers).toMatchObject({ ...everywhere, 'content-security-policy': policy });
  });

  it('sends them with every request, not only the first', async () => {
    const [a, b] = [await app.inject('/'), await app.inject('/')];
    expect(b.headers['content-security-policy']).toBe(a.headers['content-security-policy']);
    expect(b.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('in production', async () => {
  const { app } = await buildTestApp({ isProduction: true });

  it('adds HSTS and asks browsers to upgrade insecure requests', async () => {
    for (const url of ['/', '/no-such-page']) {
      const res = await app.inject(url);
      expect(res.headers, url).toMatchObject({
        ...everywhere,
        'content-security-policy': `${policy};upgrade-insecure-requests`,
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
      });
    }
  });
});
