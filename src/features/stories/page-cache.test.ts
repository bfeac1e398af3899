import { describe, expect, it, vi } from 'vitest';
import { CSRF_PLACEHOLDER, STAMP_PLACEHOLDER, createPageCache, fillPage, splitPage } from './page-cache.ts';

describe('splitting and filling a cached page', () => {
  it('fills every placeholder with one value per request', () => {
    const parts = splitPage(`<a>${CSRF_PLACEHOLDER}</a><b>${STAMP_PLACEHOLDER}</b><c>${CSRF_PLACEHOLDER}</c>`);
    const csrf = vi.fn(() => 'token-1');
    const stamp = vi.fn(() => 'stamp-1');
    expect(fillPage(parts, { csrf, stamp }).toString()).toBe('<a>token-1</a><b>stamp-1</b><c>token-1</c>');
    expect(csrf).toHaveBeenCalledTimes(1);
    expect(stamp).toHaveBeenCalledTimes(1);
  });

  it('does not make a token or stamp for a page without forms', () => {
    const csrf = vi.fn(() => 'x');
    const stamp = vi.fn(() => 'y');
    expect(fillPage(splitPage('<p>plain</p>'), { csrf, stamp }).toString()).toBe('<p>plain</p>');
    expect(csrf).not.toHaveBeenCalled();
    expect(stamp).not.toHaveBeenCalled();
  });
});

const text = (parts: unknown[] | undefined) => parts?.map(String);

describe('page cache', () => {
  const page =
    (text: string, storyId = 1) =>
    async () => ({ parts: splitPage(text), storyId });

  it('renders once and serves the stored parts until the time to live passes', async () => {
    let clock = 1000;
    const cache = createPageCache({ ttlMs: 10_000, maxEntries: 10, now: () => clock });
    const render = vi.fn(page('first'));
    expect(text((await cache.getOrRender('a', render))?.parts)).toEqual(['first']);
    clock += 9_999;
    expect(text((await cache.getOrRender('a', render))?.parts)).toEqual(['first']);
    expect(render).toHaveBeenCalledTimes(1);
    clock += 1;
    await cache.getOrRender('a', render);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('drops only the entries of the story that changed', async () => {
    const cache = createPageCache({ ttlMs: 10_000, maxEntries: 10 });
    await cache.getOrRender('one', page('1', 1));
    await cache.getOrRender('two', page('2', 2));
    cache.invalidateStory(1);
    expect(cache.get('one')).toBeUndefined();
    expect(text(cache.get('two')?.parts)).toEqual(['2']);
  });

  it('renders once for readers who arrive together', async () => {
    const cache = createPageCache({ ttlMs: 10_000, maxEntries: 10 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const render = vi.fn(async () => {
      await gate;
      return { parts: ['x'], storyId: 1 };
    });
    const all = Promise.all([1, 2, 3].map(() => cache.getOrRender('k', render)));
    release();
    expect((await all).map((r) => r?.parts[0])).toEqual(['x', 'x', 'x']);
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('does not store a render that was under way when the story changed', async () => {
    const cache = createPageCache({ ttlMs: 10_000, maxEntries: 10 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stale = cache.getOrRender('k', async () => {
      await gate;
      return { parts: ['old'], storyId: 1 };
    });
    cache.invalidateStory(1);
    release();
    await stale;
    expect(cache.get('k')).toBeUndefined();
    expect(text((await cache.getOrRender('k', page('new')))?.parts)).toEqual(['new']);
  });

  it('caches nothing for a missing page, and keeps to its size limit', async () => {
    const cache = createPageCache({ ttlMs: 10_000, maxEntries: 2 });
    expect(await cache.getOrRender('missing', async () => null)).toBeNull();
    expect(cache.size).toBe(0);
    await cache.getOrRender('a', page('a'));
    await cache.getOrRender('b', page('b'));
    await cache.getOrRender('c', page('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(text(cache.get('c')?.parts)).toEqual(['c']);
  });
});
