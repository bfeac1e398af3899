import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '#tests/helpers/app.ts';

// Issue 17: every answer Fastify or Node would give by itself (a bad URL encoding, an over-long
// path parameter, a body too large or of a type nobody reads, headers too large) is our page for
// a browser and a small JSON problem document for Accept: application/json, never the framework's
// JSON with its internal error code.
const { app } = await buildTestApp();
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const cases: { name: string; status: number; method?: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: string }[] =
  [
    { name: 'a bad URL encoding', status: 400, url: '/assets/%c0%ae%c0%ae/package.json' },
    { name: 'a bad URL encoding in a page address', status: 400, url: '/stories/%c0%ae' },
    { name: 'an over-long path parameter', status: 414, url: `/admin/stories/${'a'.repeat(5000)}` },
    { name: 'a body too large', status: 413, method: 'POST', url: '/sign-in', headers: form, payload: `email=${'x'.repeat(1_100_000)}` },
    {
      name: 'a body of a type nobody reads',
      status: 415,
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    },
    { name: 'malformed JSON', status: 400, method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/json' }, payload: '{' },
  ];
const frameworkCode = /FST_|"statusCode"|ERR_|HPE_/;

describe('answers the framework would give by itself', () => {
  for (const c of cases) {
    it(`answers ${c.name} with our page, or a problem document when JSON is asked for`, async () => {
      const page = await app.inject({ method: c.method ?? 'GET', url: c.url, headers: c.headers, payload: c.payload });
      expect(page.statusCode).toBe(c.status);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<h1>');
      expect(page.body).toContain('nhsuk-header');
      expect(page.body).not.toMatch(frameworkCode);

      const json = await app.inject({
        method: c.method ?? 'GET',
        url: c.url,
        headers: { ...c.headers, accept: 'application/json' },
        payload: c.payload,
      });
      expect(json.statusCode).toBe(c.status);
      expect(json.headers['content-type']).toContain('application/problem+json');
      const problem = json.json<{ title: string; status: number; code: string; reference: string }>();
      expect(problem).toEqual({
        title: expect.any(String),
        status: c.status,
        code: expect.stringMatching(/^[A-Z_]+$/),
        reference: expect.any(String),
      });
      expect(json.body).not.toMatch(frameworkCode);
    });
  }

  it('answers headers too large (431), before any request exists, with a short page', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(address).port), '127.0.0.1');
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write(`GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('text/html');
    expect(answer).toContain('<h1>');
    expect(answer).not.toMatch(frameworkCode);
  });
});
