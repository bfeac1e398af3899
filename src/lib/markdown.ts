import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Staff write stories in Markdown. Raw HTML in the source is shown as text (html: false), and
// whatever markdown-it produces passes an allowlist, so a pasted script, style, event handler or
// javascript: link can never reach a reader even if the renderer had a bug.
const md = new MarkdownIt({ html: false, linkify: true, typographer: true });

const policy: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'a',
    'ul',
    'ol',
    'li',
    'blockquote',
    'em',
    'strong',
    's',
    'code',
    'pre',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    ol: ['start'],
    table: ['class'],
    th: ['scope'],
  },
  allowedClasses: { table: ['nhsuk-table'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // The story title is the page's only h1, so body headings start at h2 and stop at h4.
  transformTags: {
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    table: sanitizeHtml.simpleTransform('table', { class: 'nhsuk-table' }),
    th: (tagName, attribs) => ({ tagName, attribs: { ...attribs, scope: 'col' } }),
  },
};

export function sanitizeStoryHtml(html: string): string {
  return sanitizeHtml(html, policy);
}

export function renderMarkdown(source: string): string {
  return sanitizeStoryHtml(md.render(source ?? '')).trim();
}
