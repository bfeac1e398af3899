import { randomBytes } from 'node:crypto';

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

// A template's output is a rope: V8 joins the pieces it is built from with `+=` lazily, and a
// fragment of one comment is some hundred of them. Each page the fragment is drawn into encodes it
// again (on its own in a page joined as bytes, below; within the whole page otherwise), and a rope
// is first copied into a flat string each time. So a fragment is flattened once, when it is stored:
// reading a character of a rope makes V8 flatten it in place. (Were V8 to stop doing so, only the
// speed would change.)
function flat(html: string): string {
  html.charCodeAt(0);
  return html;
}

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
      const html = flat(render());
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

// A page that is wanted as bytes (the cached story page) need not become one string first. Made
// into one string, its 200 comments are some 270,000 characters: V8 copies them into a new string
// of their own (twice the bytes when any character on the page is beyond Latin-1, as a dash in the
// title is), in memory the process has not touched before, and then encodes it all again; on a host
// where new memory is dear, that was a fifth of an uncached render. Instead, while such a page is
// rendered, each fragment is held here and the page gets a marker in its place; `bytes` then joins
// the page's own text and the held fragments, each encoded on its own, into the page's bytes.
// A marker carries a random word of this render's, so nothing written on the page can pose as one.
export type FragmentSink = {
  // The marker to put on the page in place of `html`.
  hold(html: string): string;
  // The page, with every marker replaced by what it holds, as UTF-8.
  bytes(page: string): Buffer;
};

export function createFragmentSink(): FragmentSink {
  const opener = `\u0000${randomBytes(8).toString('hex')}:`;
  const held: string[] = [];
  return {
    hold(html) {
      held.push(html);
      return `${opener}${held.length - 1}\u0000`;
    },
    bytes(page) {
      if (!held.length) return Buffer.from(page, 'utf8');
      const [first, ...rest] = page.split(opener);
      const pieces = [Buffer.from(first!, 'utf8')];
      for (const part of rest) {
        const end = part.indexOf('\u0000');
        const html = held[Number(part.slice(0, end))];
        if (end < 0 || html === undefined) throw new Error('a fragment marker on the page names nothing held');
        pieces.push(Buffer.from(html, 'utf8'), Buffer.from(part.slice(end + 1), 'utf8'));
      }
      return Buffer.concat(pieces);
    },
  };
}
