import { linkifyit } from 'linkify-it';

const linkify = linkifyit();

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]!);

// Comments are plain text: everything is escaped, web addresses become links that pass no
// reputation (rel="nofollow ugc"), and blank lines separate paragraphs.
export function plainTextToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((para) => para.trim())
    .filter(Boolean)
    .map((para) => `<p>${linkifyLine(para).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function linkifyLine(text: string): string {
  const matches = linkify.match(text);
  if (!matches) return escapeHtml(text);
  let out = '';
  let last = 0;
  for (const m of matches) {
    if (!/^https?:/i.test(m.url)) continue;
    out += escapeHtml(text.slice(last, m.index));
    out += `<a href="${escapeHtml(m.url)}" rel="nofollow ugc noopener">${escapeHtml(m.text)}</a>`;
    last = m.lastIndex;
  }
  return out + escapeHtml(text.slice(last));
}

export function countLinks(text: string): number {
  return (linkify.match(text) ?? []).length;
}

export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' });

// "23 November 2026", as GOV.UK and NHS style guides write dates.
export const formatDate = (d: Date | string | null | undefined) => (d ? dateFormat.format(new Date(d)) : '');
export const formatDateTime = (d: Date | string | null | undefined) =>
  d ? `${dateFormat.format(new Date(d))} at ${timeFormat.format(new Date(d)).replace(' ', '')}` : '';
