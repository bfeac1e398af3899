import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { chooseEncoding, compressPage, createPageCache, etagOf, makePage, notModified } from './page-cache.ts';

const html = (page: { body: Buffer } | null | undefined) => page?.body.toString('utf8');
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('a cached page', () => {
  it('is the page as UTF-8 bytes with a strong ETag that changes with the content', () => {
    const a = makePage(Buffer.from('<p>Cân — ŵ</p>'), 1);
    expect(a.body.toString('utf8')).toBe('<p>Cân — ŵ</p>');
    expect(a.etag).toMatch(/^"[\w-]{27}"$/);
    expect(makePage(Buffer.from('<p>Cân — ŵ</p>'), 2).etag).toBe(a.etag);
    expect(makePage(Buffer.from('<p>Can</p>'), 1).etag).not.toBe(a.etag);
  });

  it('compresses to brotli and gzip that decode to the same bytes', async () => {
    const page = makePage(Buffer.from('<p>Hello, reader.</p>'.repeat(500)), 1);
    const { br, gzip } = await compressPage(page);
    expect(brotliDecompressSync(br).equals(page.body)).toBe(true);
    expect(gunzipSync(gzip).equals(page.body)).toBe(true);
    expect(br.length).toBeLessThan(page.body.length / 10);
  });

  it('sends brotli, then gzip, as the reader accepts them, and never a coding refused with q=0', async () => {
    const page = makePage(Buffer.from('<p>x</p>'.repeat(100)), 1);
    expect(chooseEncoding(page, 'br, gzip')).toEqual({ body: page.body }); // not compressed yet
    Object.assign(page, await compressPage(page));
    expect(chooseEncoding(page, 'gzip, deflate, br').encoding).toBe('br');
    expect(chooseEncoding(page, 'gzip').encoding).toBe('gzip');
    expect(chooseEncoding(page, 'br;q=0, gzip;q=0.5').encoding).toBe('gzip');
    expect(chooseEncoding(page, 'BR;q=0.0, GZIP;q=0').encoding).toBeUndefined();
    expect(chooseEncoding(page, '*').encoding).toBe('br');
    expect(chooseEncoding(page, 'identity').body).toBe(page.body);
    expect(chooseEncoding(page, undefined).body).toBe(page.body);
  });

  it('is not modified for a reader holding its ETag, weak or in a list, or *', () => {
    const page = makePage(Buffer.from('<p>x</p>'), 1);
    expect(notModified(page, page.etag)).toBe(true);
    expect(notModified(page, `"other", W/${page.etag}`)).toBe(true);
    expect(notModified(page, '*')).toBe(true);
    expect(notModified(page, etagOf(page, 'br'))).toBe(true);
    expect(etagOf(page, 'gzip')).toBe(`${page.etag.slice(0, -1)}-gzip"`);
    expect(notModified(page, '"other"')).toBe(false);
    expect(notModified(page, undefined)).toBe(false);
  });
});

describe('page cache', () => {
  const page =
    (text: string, storyId = 1) =>
    async () => ({ body: Buffer.from(text), storyId });
  const options = { ttlMs: 10_000, maxBytes: 1_000_000, compress: false };

  it('renders once and serves the stored page until the time to live passes', async () => {
    let clock = 1000;
    const cache = createPageCache({ ...options, now: () => clock });
    const render = vi.fn(page('first'));
    expect(html(await cache.getOrRender('a', render))).toBe('first');
    clock += 9_999;
    expect(html(await cache.getOrRender('a', render))).toBe('first');
    expect(render).toHaveBeenCalledTimes(1);
    clock += 1;
    await cache.getOrRender('a', render);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('drops only the entries of the story that changed', async () => {
    const cache = createPageCache(options);
    await cache.getOrRender('one', page('1', 1));
    await cache.getOrRender('two', page('2', 2));
    cache.invalidateStory(1);
    expect(cache.get('one')).toBeUndefined();
    expect(html(cache.get('two'))).toBe('2');
  });

  it('renders once for readers who arrive together', async () => {
    const cache = createPageCache(options);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const render = vi.fn(async () => {
      await gate;
      return { body: Buffer.from('x'), storyId: 1 };
    });
    const all = Promise.all([1, 2, 3].map(() => cache.getOrRender('k', render)));
    release();
    expect((await all).map(html)).toEqual(['x', 'x', 'x']);
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('does not store a render that was under way when the story changed', async () => {
    const cache = createPageCache(options);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stale = cache.getOrRender('k', async () => {
      await gate;
      return { body: Buffer.from('old'), storyId: 1 };
    });
    cache.invalidateStory(1);
    release();
    expect(html(await stale)).toBe('old');
    expect(cache.get('k')).toBeUndefined();
    expect(html(await cache.getOrRender('k', page('new')))).toBe('new');
  });

  it('caches nothing for a missing page, and keeps to its size in bytes, oldest out first', async () => {
    const cache = createPageCache({ ...options, maxBytes: 250 });
    expect(await cache.getOrRender('missing', async () => null)).toBeNull();
    expect(cache.size).toBe(0);
    await cache.getOrRender('a', page('a'.repeat(100)));
    await cache.getOrRender('b', page('b'.repeat(100)));
    await cache.getOrRender('c', page('c'.repeat(100)));
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(200);
    expect(cache.get('a')).toBeUndefined();
    expect(html(cache.get('c'))).toBe('c'.repeat(100));
    // A page bigger than the whole cache is served but not kept.
    expect(html(await cache.getOrRender('big', page('x'.repeat(300))))).toHaveLength(300);
    expect(cache.get('big')).toBeUndefined();
  });

  it('makes the compressed copies when a reader first accepts them, and counts their bytes', async () => {
    const cache = createPageCache({ ...options, compress: true });
    const stored = await cache.getOrRender('a', page('<p>a story</p>'.repeat(1000)));
    expect(cache.encodedFor('a', stored!, undefined).encoding).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(stored?.br).toBeUndefined(); // nobody asked for it yet
    expect(cache.encodedFor('a', stored!, 'gzip, br').encoding).toBeUndefined(); // not ready yet
    await waitFor(() => Boolean(stored?.br));
    expect(cache.encodedFor('a', stored!, 'gzip, br').encoding).toBe('br');
    expect(gunzipSync(stored!.gzip!).equals(stored!.body)).toBe(true);
    expect(cache.bytes).toBe(stored!.body.length + stored!.br!.length + stored!.gzip!.length);
    cache.invalidateStory(1);
    expect(cache.bytes).toBe(0);
  });

  it('does not count the compressed copies of a page dropped while they were being made', async () => {
    const cache = createPageCache({ ...options, compress: true });
    const stored = await cache.getOrRender('a', page('<p>a story</p>'.repeat(1000)));
    cache.encodedFor('a', stored!, 'br');
    cache.invalidateStory(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(stored?.br).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });
});
