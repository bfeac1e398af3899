// Rendered pieces of a page kept by what they were made from, for templates that repeat the same
// markup on every render (the comments of an uncached story page: a render after each approval
// would otherwise run the comment template 200 times for 199 comments it has already drawn).
// Bounded by the characters it holds (keys and markup), least recently used out first.

export type FragmentCache = {
  // The markup stored under `key`, or what `render` makes (then stored).
  get(key: string, render: () => string): string;
  readonly size: number;
  readonly chars: number;
  clear(): void;
};

export function createFragmentCache(maxChars: number): FragmentCache {
  const entries = new Map<string, string>();
  let chars = 0;
  return {
    get(key, render) {
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Most recently used last, so the oldest unused entries go first.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const html = render();
      const cost = key.length + html.length;
      if (cost > maxChars) return html;
      entries.set(key, html);
      chars += cost;
      for (const [oldKey, oldHtml] of entries) {
        if (chars <= maxChars) break;
        entries.delete(oldKey);
        chars -= oldKey.length + oldHtml.length;
      }
      return html;
    },
    get size() {
      return entries.size;
    },
    get chars() {
      return chars;
    },
    clear() {
      entries.clear();
      chars = 0;
    },
  };
}
