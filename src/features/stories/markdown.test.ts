import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '#src/lib/markdown.ts';

describe('story Markdown', () => {
  it('renders the formatting staff use', () => {
    const html = renderMarkdown(
      [
        '## A heading',
        'Some *emphasis*, **strong** text and `code`.',
        '* one\n* two',
        '1. first\n2. second',
        '> A quotation',
        '---',
        '[A link](https://example.org/page) and mailto:team@example.org',
        '![A chart](https://example.org/chart.png)',
        '| Area | People |\n| --- | --- |\n| North | 12 |',
      ].join('\n\n'),
    );
    expect(html).toContain('<h2>A heading</h2>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<strong>strong</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>/);
    expect(html).toMatch(/<ol>\s*<li>first<\/li>/);
    expect(html).toMatch(/<blockquote>\s*<p>A quotation<\/p>/);
    expect(html).toContain('<hr />');
    expect(html).toContain('<a href="https://example.org/page">A link</a>');
    expect(html).toContain('<a href="mailto:team@example.org">');
    expect(html).toContain('<img src="https://example.org/chart.png" alt="A chart" />');
    expect(html).toContain('<table class="nhsuk-table">');
    expect(html).toContain('<th scope="col">Area</th>');
  });

  it('keeps the page to one h1 by turning body headings into h2 to h4', () => {
    const html = renderMarkdown('# Top\n\n###### Deep');
    expect(html).toContain('<h2>Top</h2>');
    expect(html).toContain('<h4>Deep</h4>');
    expect(html).not.toContain('<h1');
    expect(html).not.toContain('<h6');
  });

  it('uses curly quotes and dashes (typographer)', () => {
    expect(renderMarkdown('"Yes" -- it\'s true')).toBe('<p>“Yes” – it’s true</p>');
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['a style tag', '<style>body { display: none }</style>'],
    ['an event handler on raw HTML', '<img src="x" onerror="alert(1)">'],
    ['an event handler on a raw link', '<a href="https://example.org" onclick="alert(1)">x</a>'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>'],
  ])('shows %s as text, never as HTML', (_what, source) => {
    const html = renderMarkdown(source);
    // Web addresses inside the escaped text may still become plain links (linkify); tags may not.
    expect(html).not.toMatch(/<(script|style|iframe|img)\b/i);
    expect(html).not.toMatch(/<[^>]+\son\w+\s*=/i);
    expect(html).toContain('&lt;');
  });

  it.each([
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](javascript&#58;alert(1))',
    '[click](vbscript:msgbox(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<javascript:alert(1)>',
    '[click][ref]\n\n[ref]: javascript:alert(1)',
  ])('never produces a dangerous link from %s', (source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/href="\s*(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/href="[^"]*&#/i);
  });

  it('drops images that are not on http or https', () => {
    expect(renderMarkdown('![x](javascript:alert(1))')).not.toMatch(/src=/);
    expect(renderMarkdown('![x](data:image/svg+xml;base64,PHN2Zz4=)')).not.toMatch(/src=/);
    expect(renderMarkdown('![x](//evil.example/x.png)')).not.toMatch(/src=/);
  });
});
