import { describe, expect, it } from 'vitest';
import { testPdf } from './commission-test-support.ts';
import { extractPdfText } from './document-pdf.ts';
import { splitMarkdownSections } from './document-sections.ts';

describe('a Markdown document split into sections', () => {
  it('makes the text before the first heading an Introduction, then a section at each # and ## heading', () => {
    const sections = splitMarkdownSections(
      'Why we wrote this.\n\n# Summary\nIn short.\n\n## Findings\n\nWhat we *found*.\n\n# Next steps\nWhat we will do.',
      'Introduction',
    );
    expect(sections.map((s) => s.heading)).toEqual(['Introduction', 'Summary', 'Findings', 'Next steps']);
    expect(sections[0]!.bodyMarkdown).toBe('Why we wrote this.');
    expect(sections[2]!.bodyHtml).toBe('<p>What we <em>found</em>.</p>');
  });

  it('keeps deeper headings inside their section, and a # in a code block is not a heading', () => {
    const sections = splitMarkdownSections(
      '# Methods\nText.\n\n### Who took part\nPeople.\n\n```\n# not a heading\n```\n\n## Results',
      'Intro',
    );
    expect(sections.map((s) => s.heading)).toEqual(['Methods', 'Results']);
    expect(sections[0]!.bodyHtml).toContain('<h3>Who took part</h3>');
    expect(sections[0]!.bodyHtml).toContain('# not a heading');
    expect(sections[1]!.bodyMarkdown).toBe('');
  });

  it('sanitises HTML written in the Markdown, and takes the marks off headings', () => {
    const [intro, section] = splitMarkdownSections(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n# The **plan** `now`\n[click](javascript:alert(1)) <b onclick="x()">bold</b>',
      'Introduction',
    );
    expect(intro!.bodyHtml).not.toContain('<script');
    expect(intro!.bodyHtml).not.toContain('<img');
    expect(intro!.bodyHtml).toContain('&lt;script&gt;');
    expect(section!.heading).toBe('The plan now');
    expect(section!.bodyHtml).not.toMatch(/href="?javascript/);
    expect(section!.bodyHtml).not.toContain('<b ');
    expect(section!.bodyHtml).not.toContain('onclick="');
  });

  it('is one section when there is no heading (named as the caller says)', () => {
    expect(splitMarkdownSections('Just text.', 'Introduction', 'The web page').map((s) => s.heading)).toEqual(['The web page']);
    expect(splitMarkdownSections('Just text.', 'Introduction').map((s) => s.heading)).toEqual(['Introduction']);
  });
});

describe('the text of a PDF', () => {
  it('is read page by page from uncompressed and FlateDecode content streams', () => {
    for (const compress of [false, true]) {
      const { pages } = extractPdfText(testPdf(['First page (with brackets)\nSecond line', 'Page two'], compress));
      expect(pages).toEqual(['First page (with brackets)\nSecond line', 'Page two']);
    }
  });

  it('gives nothing, without throwing, for a file it cannot read', () => {
    expect(extractPdfText(Buffer.from('%PDF-1.7\nnot really a pdf'))).toEqual({ pages: [], whole: '' });
    expect(
      extractPdfText(Buffer.from('%PDF-1.4\n1 0 obj\n<< /Length 5 /Filter /FlateDecode >>\nstream\nxxxxx\nendstream\nendobj\n')),
    ).toEqual({
      pages: [],
      whole: '',
    });
  });
});
