import { expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';

// The language links of a page (src/plugins/language.ts) are made once per address and language
// and then shared: each request must still get the links for its own address and language.
const { app, config } = await buildTestApp();

const switchLinks = (html: string) => [...html.matchAll(/<a href="([^"]+)" hreflang="(\w+)"/g)].map((m) => `${m[2]} ${m[1]}`);
const alternates = (html: string) =>
  [...html.matchAll(/<link rel="alternate" hreflang="(\w+)" href="([^"]+)">/g)].map((m) => `${m[1]} ${m[2]}`);
const decode = (s: string) => s.replaceAll('&amp;', '&');

it('links each page to itself in the other language, keeping its query, the same on every request', async () => {
  for (let i = 0; i < 2; i++) {
    const res = await app.inject('/stories?page=1');
    expect(switchLinks(res.body).map(decode)).toEqual(['cy /stories?page=1&lang=cy']);
    expect(alternates(res.body).map(decode)).toEqual([
      `en ${config.baseUrl}/stories?page=1&lang=en`,
      `cy ${config.baseUrl}/stories?page=1&lang=cy`,
    ]);
  }
});

it('gives a Welsh reader of the same address the link to English, and an English reader the link to Welsh', async () => {
  const welsh = new Browser(app);
  expect(switchLinks((await welsh.get('/stories?lang=cy')).body)).toEqual(['en /stories?lang=en']);
  expect(switchLinks((await welsh.get('/stories')).body)).toEqual(['en /stories?lang=en']);
  expect(switchLinks((await app.inject('/stories')).body)).toEqual(['cy /stories?lang=cy']);
});

it('makes the links for a long address too, without keeping them', async () => {
  const long = `/stories?q=${'a'.repeat(300)}`;
  for (let i = 0; i < 2; i++) {
    expect(switchLinks((await app.inject(long)).body).map(decode)).toEqual([`cy ${long}&lang=cy`]);
  }
});
