import { describe, expect, it } from 'vitest';
import { createFragmentCache, createFragmentSink } from './fragment-cache.ts';

describe('the fragment cache', () => {
  it('renders a fragment once, and lets the least recently used go when it is over its size', () => {
    const cache = createFragmentCache(30);
    let renders = 0;
    const render = (html: string) => () => {
      renders++;
      return html;
    };
    expect(cache.get('a', render('<p>one</p>'))).toBe('<p>one</p>');
    expect(cache.get('a', render('<p>changed</p>'))).toBe('<p>one</p>');
    expect(renders).toBe(1);
    cache.get('b', render('<p>two</p>'));
    cache.get('a', render('')); // used again: now b is the oldest
    cache.get('c', render('<p>three</p>'));
    expect(cache.size).toBe(2);
    expect(cache.get('b', render('<p>two again</p>'))).toBe('<p>two again</p>');
  });
});

describe('a page joined as bytes', () => {
  it('is the UTF-8 of the page with each fragment in place of its marker', () => {
    const sink = createFragmentSink();
    const first = sink.hold('<li>Cân — ŵ</li>');
    const second = sink.hold('<li>plain</li>');
    const page = `<title>A – B</title><ol>${first}${second}${first}</ol>`;
    expect(sink.bytes(page).equals(Buffer.from('<title>A – B</title><ol><li>Cân — ŵ</li><li>plain</li><li>Cân — ŵ</li></ol>'))).toBe(true);
  });

  it('leaves alone what only looks like a marker, and a page with no fragments', () => {
    const sink = createFragmentSink();
    const marker = sink.hold('<li>held</li>');
    const forged = marker.replace(/[0-9a-f]{16}/, '0123456789abcdef');
    expect(forged).not.toBe(marker);
    expect(sink.bytes(`${forged}|${marker}`).toString('utf8')).toBe(`${forged}|<li>held</li>`);
    expect(createFragmentSink().bytes('<p>ŵ \u0000 0:0</p>').toString('utf8')).toBe('<p>ŵ \u0000 0:0</p>');
  });

  it('refuses a marker of its own that names nothing it holds', () => {
    const sink = createFragmentSink();
    const marker = sink.hold('x');
    expect(() => sink.bytes(marker.replace(':0', ':7'))).toThrow(/names nothing held/);
  });
});
