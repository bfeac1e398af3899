import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { ifNoneMatchHits, strongEtag } from '#src/lib/etag.ts';

// The anonymous story page is the busiest page on the site, and it is the same bytes for every
// reader of a language: nothing in it varies per request (the comment form's stamp and its
// protection against cross-site posts travel in a cookie, ADR 20). It is rendered once, kept as
// UTF-8 bytes with a strong ETag, and compressed once per fill (brotli and gzip, off the main
// thread, started by the first reader who accepts them), so a request costs a lookup and a write,
// as for a static file.
//
// Entries are dropped when the story or its comments change (events in this process) and after a
// short time to live, so several instances behind a load balancer agree within seconds.

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

export type CachedPage = {
  body: Buffer;
  etag: string;
  storyId: number;
  // Filled in once compression has finished; until then the page is served uncompressed.
  br?: Buffer;
  gzip?: Buffer;
  compressing?: boolean;
};
export type Rendered = { body: Buffer; storyId: number } | null;
export type Encoding = 'br' | 'gzip';

export function makePage(body: Buffer, storyId: number): CachedPage {
  return { body, storyId, etag: strongEtag(body) };
}

// The page's two compressed forms, made at the levels nginx's gzip_static files are usually made
// with: the work is done once per fill, so it can be thorough.
export async function compressPage(page: CachedPage): Promise<{ br: Buffer; gzip: Buffer }> {
  const [br, gz] = await Promise.all([
    brotli(page.body, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_SIZE_HINT]: page.body.length,
      },
    }),
    gzipped(page.body, { level: 9 }),
  ]);
  return { br, gzip: gz };
}

// Which stored form to send for an Accept-Encoding header: brotli, then gzip, unless the client
// refuses one with q=0; otherwise the plain bytes.
export function chooseEncoding(page: CachedPage, accept: string | undefined): { body: Buffer; encoding?: Encoding } {
  if (accept) {
    if (page.br && accepts(accept, 'br')) return { body: page.br, encoding: 'br' };
    if (page.gzip && accepts(accept, 'gzip')) return { body: page.gzip, encoding: 'gzip' };
  }
  return { body: page.body };
}

function accepts(header: string, coding: string): boolean {
  for (const item of header.toLowerCase().split(',')) {
    const [name, ...params] = item.trim().split(';');
    if (name !== coding && name !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}

// Each encoding is its own representation, so its own strong ETag: "<hash>", "<hash>-br", "<hash>-gzip".
export const etagOf = (page: CachedPage, encoding?: Encoding) => (encoding ? `${page.etag.slice(0, -1)}-${encoding}"` : page.etag);

// An If-None-Match header naming an ETag of this page, in any encoding (or *): the reader's copy
// is current.
export const notModified = (page: CachedPage, ifNoneMatch: string | undefined): boolean =>
  ifNoneMatchHits(ifNoneMatch, [etagOf(page), etagOf(page, 'br'), etagOf(page, 'gzip')]);

type Entry = { page: CachedPage; expiresAt: number };
const sizeOf = (page: CachedPage) => page.body.length + (page.br?.length ?? 0) + (page.gzip?.length ?? 0);

export function createPageCache(opts: { ttlMs: number; maxBytes: number; compress?: boolean; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<CachedPage | null>>();
  let bytes = 0;
  // Bumped on every invalidation: a render that started before it must not be stored after it.
  let generation = 0;

  function remove(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= sizeOf(entry.page);
  }

  function get(key: string): CachedPage | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      remove(key);
      return undefined;
    }
    return entry.page;
  }

  // Oldest first out until the cache is within its budget again, never the entry just stored.
  function evict(keep: string) {
    for (const oldest of entries.keys()) {
      if (bytes <= opts.maxBytes) break;
      if (oldest !== keep) remove(oldest);
    }
  }

  // A page bigger than the whole budget is served but not kept.
  function set(key: string, page: CachedPage) {
    remove(key);
    if (sizeOf(page) > opts.maxBytes) return;
    entries.set(key, { page, expiresAt: now() + opts.ttlMs });
    bytes += sizeOf(page);
    evict(key);
  }

  function compressLater(key: string, page: CachedPage) {
    page.compressing = true;
    compressPage(page).then(
      (encoded) => {
        // Kept only while this very page is still the entry (it may have been dropped meanwhile).
        if (entries.get(key)?.page !== page) return;
        Object.assign(page, encoded);
        bytes += encoded.br.length + encoded.gzip.length;
        evict(key);
      },
      () => undefined, // the plain page is still served; the next fill tries again
    );
  }

  return {
    get,
    // The cached page for `key`, or renders it once however many readers ask at the same time.
    // `render` returns null when there is no such page (nothing is cached then).
    async getOrRender(key: string, render: () => Promise<Rendered>): Promise<CachedPage | null> {
      const hit = get(key);
      if (hit) return hit;
      const pending = inflight.get(key);
      if (pending) return pending;
      const startedAt = generation;
      const promise = render()
        .then((result) => {
          if (!result) return null;
          const page = makePage(result.body, result.storyId);
          if (startedAt === generation) set(key, page);
          return page;
        })
        .finally(() => {
          if (inflight.get(key) === promise) inflight.delete(key);
        });
      inflight.set(key, promise);
      return promise;
    },
    // What to send a reader with this Accept-Encoding. The first reader who accepts a compressed
    // form starts making both (then served to everyone once ready); a render alone never does, so
    // the work is not done for a page nobody reads compressed.
    encodedFor(key: string, page: CachedPage, accept: string | undefined) {
      const chosen = chooseEncoding(page, accept);
      if (!chosen.encoding && accept && !page.compressing && opts.compress !== false && entries.get(key)?.page === page) {
        compressLater(key, page);
      }
      return chosen;
    },
    invalidateStory(storyId: number) {
      generation++;
      inflight.clear();
      for (const [key, entry] of entries) if (entry.page.storyId === storyId) remove(key);
    },
    clear() {
      generation++;
      inflight.clear();
      entries.clear();
      bytes = 0;
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
export type PageCache = ReturnType<typeof createPageCache>;
