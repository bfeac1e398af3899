import MarkdownIt from 'markdown-it';
import { renderMarkdown } from '#src/lib/markdown.ts';

// A document under review, cut into the sections reviewers comment on one at a time.
export type DocumentSection = { heading: string; bodyMarkdown: string; bodyHtml: string };

// Only used to find where the headings are (markdown-it knows a `#` inside a code block is not a
// heading, and that a line of `===` under text makes one); the sections are rendered by the
// shared, sanitising renderMarkdown.
const parser = new MarkdownIt({ html: false });

// Heading text as words: the inline Markdown's emphasis, code and link marks taken off.
function plainHeading(inline: string): string {
  return inline
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

// Markdown split at its top two levels of heading (`#` and `##`): each such heading starts a
// section, and deeper headings stay inside their section. Text before the first heading is a
// section of its own named `introduction` (dropped when it is only blank lines). A document with
// no heading at all is one section, named `untitled` (a pasted web page: "The web page").
export function splitMarkdownSections(markdown: string, introduction: string, untitled = introduction): DocumentSection[] {
  const source = markdown.replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  const tokens = parser.parse(source, {});
  const starts: { line: number; bodyFrom: number; heading: string }[] = [];
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open' || !token.map || (token.tag !== 'h1' && token.tag !== 'h2')) return;
    starts.push({ line: token.map[0], bodyFrom: token.map[1], heading: plainHeading(tokens[i + 1]?.content ?? '') });
  });
  const section = (heading: string, from: number, to: number): DocumentSection => {
    const bodyMarkdown = lines.slice(from, to).join('\n').trim();
    return { heading, bodyMarkdown, bodyHtml: renderMarkdown(bodyMarkdown) };
  };
  const sections: DocumentSection[] = [];
  const introEnd = starts[0]?.line ?? lines.length;
  if (!starts.length) return [section(untitled, 0, lines.length)];
  if (lines.slice(0, introEnd).join('').trim()) sections.push(section(introduction, 0, introEnd));
  starts.forEach((s, i) => sections.push(section(s.heading || introduction, s.bodyFrom, starts[i + 1]?.line ?? lines.length)));
  return sections;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Text read out of a PDF page, as a section: shown as plain paragraphs (never read as Markdown,
// so a `*` or `#` in the report stays what it was).
export function textSection(heading: string, text: string): DocumentSection {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    heading,
    bodyMarkdown: paragraphs.join('\n\n'),
    bodyHtml: paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n'),
  };
}
