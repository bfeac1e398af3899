// The anonymous story page is the busiest page on the site and, apart from two per-request
// values (the CSRF token and the comment form's stamp), the same for every reader. It is rendered
// once with placeholders, split into parts, and served by joining the parts with fresh values.
//
// Entries are dropped when the story or its comments change (events in this process) and after a
// short time to live, so several instances behind a load balancer agree within seconds.

export const CSRF_PLACEHOLDER = '__COPRODUCE_CSRF__';
export const STAMP_PLACEHOLDER = '__COPRODUCE_STAMP__';
const PLACEHOLDERS = new RegExp(`(${CSRF_PLACEHOLDER}|${STAMP_PLACEHOLDER})`);

// Text at even indexes, already encoded as UTF-8 (a long string with any non-Latin-1 character
// costs milliseconds to encode on every response); placeholder names at odd indexes.
export type PageParts = (Buffer | string)[];
export type Fill = { csrf: () => string; stamp: () => string };

// "a __COPRODUCE_CSRF__ b" → [<a >, "__COPRODUCE_CSRF__", < b>].
export function splitPage(html: string): PageParts {
  return html.split(PLACEHOLDERS).map((part, i) => (i % 2 === 0 ? Buffer.from(part, 'utf8') : part));
}

// Each value is computed at most once per request, and only if the page needs it.
export function fillPage(parts: PageParts, fill: Fill): Buffer {
  if (parts.length === 1) return parts[0] as Buffer;
  let csrf: Buffer | undefined;
  let stamp: Buffer | undefined;
  const out: Buffer[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 0) out.push(part as Buffer);
    else if (part === CSRF_PLACEHOLDER) out.push((csrf ??= Buffer.from(fill.csrf(), 'utf8')));
    else out.push((stamp ??= Buffer.from(fill.stamp(), 'utf8')));
  }
  return Buffer.concat(out);
}

type Entry = { parts: PageParts; storyId: number; expiresAt: number };
export type Rendered = { parts: PageParts; storyId: number } | null;

export function createPageCache(opts: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Rendered>>();
  // Bumped on every invalidation: a render that started before it must not be stored after it.
  let generation = 0;

  function get(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function set(key: string, parts: PageParts, storyId: number) {
    entries.delete(key);
    if (entries.size >= opts.maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, { parts, storyId, expiresAt: now() + opts.ttlMs });
  }

  return {
    get,
    // The cached parts for `key`, or renders them once however many readers ask at the same time.
    // `render` returns null when there is no such page (nothing is cached then).
    async getOrRender(key: string, render: () => Promise<Rendered>): Promise<Rendered> {
      const hit = get(key);
      if (hit) return { parts: hit.parts, storyId: hit.storyId };
      const pending = inflight.get(key);
      if (pending) return pending;
      const startedAt = generation;
      const promise = render()
        .then((result) => {
          if (result && startedAt === generation) set(key, result.parts, result.storyId);
          return result;
        })
        .finally(() => {
          if (inflight.get(key) === promise) inflight.delete(key);
        });
      inflight.set(key, promise);
      return promise;
    },
    invalidateStory(storyId: number) {
      generation++;
      inflight.clear();
      for (const [key, entry] of entries) if (entry.storyId === storyId) entries.delete(key);
    },
    clear() {
      generation++;
      inflight.clear();
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
export type PageCache = ReturnType<typeof createPageCache>;
