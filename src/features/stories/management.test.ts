import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { imageMarkdown } from './management.ts';

describe('an image as Markdown', () => {
  it('is one image line with the alt text, and the caption in emphasis under it', () => {
    expect(imageMarkdown('/media/abc.png', 'A room', null)).toBe('![A room](/media/abc.png)');
    expect(renderMarkdown(imageMarkdown('/media/abc.png', 'A room', 'Ground floor'))).toBe(
      '<p><img src="/media/abc.png" alt="A room" />\n<em>Ground floor</em></p>',
    );
  });

  it('keeps alt text and caption as text: they cannot end the image, add another, or make markup', () => {
    const html = renderMarkdown(
      imageMarkdown('/media/abc.png', 'x](javascript:alert(1)) ![y](https://evil.example/t.png', '*bold* [link](/x)\n# heading'),
    );
    expect(html).toBe(
      '<p><img src="/media/abc.png" alt="x](javascript:alert(1)) ![y](https://evil.example/t.png" />\n<em>*bold* [link](/x) # heading</em></p>',
    );
  });
});
