// Finds interface text written straight into a template (tests/i18n.test.ts fails on any).
// `node tests/helpers/i18n-scan.ts` lists every template that still has some.
import { readFileSync } from 'node:fs';
import { filesUnder } from './files.ts';
import { join, relative, resolve } from 'node:path';

// Words that are the same in every language: names, not interface text.
export const sameInEveryLanguage = new Set(['Coproduce', 'Cymraeg', 'English', 'RSS', 'CSV', 'JSON', 'NHS', 'Markdown']);

// The text a person would read in a template, with template code, comments and markup removed.
export function hardCodedText(template: string): string[] {
  const found: string[] = [];
  const withoutCode = template
    .replace(/\{#[\s\S]*?#\}/g, ' ')
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ');
  // Literal words given to a component's text parameters, or printed directly.
  for (const m of withoutCode.matchAll(/\{[{%][\s\S]*?[%}]\}/g)) {
    const code = m[0];
    for (const lit of code.matchAll(
      /\b(?:text|html|titleText|visuallyHiddenText|headingText|descriptionText|label|legend|hint|caption|placeholder)\s*:\s*(["'])((?:(?!\1).)*)\1/g,
    ))
      if (isWords(lit[2]!)) found.push(lit[2]!);
    for (const lit of code.matchAll(/\{\{\s*(["'])((?:(?!\1).)*)\1\s*\}\}/g)) if (isWords(lit[2]!)) found.push(lit[2]!);
    for (const lit of code.matchAll(/(["'])((?:(?!\1).)*?)\1\s*~|~\s*(["'])((?:(?!\3).)*?)\3/g)) {
      const s = lit[2] ?? lit[4] ?? '';
      if (isWords(s)) found.push(s);
    }
  }
  const markup = withoutCode.replace(/\{\{[\s\S]*?\}\}/g, ' ').replace(/\{%[\s\S]*?%\}/g, ' ');
  // Attributes people read or hear.
  for (const m of markup.matchAll(/\b(?:alt|title|aria-label|placeholder|content|value)\s*=\s*"([^"]*)"/g)) {
    if (isWords(m[1]!) && !/^(width=|text\/|#)/.test(m[1]!)) found.push(m[1]!);
  }
  const text = markup.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/g, ' ');
  for (const chunk of text.split(/\s{2,}|\n/)) if (isWords(chunk)) found.push(chunk.trim());
  return found;
}

function isWords(s: string): boolean {
  // Addresses, fragments and single lower-case tokens (class names, values) are code, not text.
  if (/^\s*[#/?]/.test(s) || /^[a-z0-9_:-]+$/.test(s.trim()) || /^\s*[\w-]+="/.test(s)) return false;
  const words = s.match(/\p{L}{2,}/gu) ?? [];
  return words.some((w) => !sameInEveryLanguage.has(w));
}

export function templatesWithText(root = resolve(import.meta.dirname, '../..')): { file: string; text: string[] }[] {
  return filesUnder(join(root, 'src'), (p) => p.endsWith('.njk'))
    .map((f) => ({ file: relative(root, f), text: hardCodedText(readFileSync(f, 'utf8')) }))
    .filter((x) => x.text.length);
}

if (import.meta.main) for (const { file, text } of templatesWithText()) console.log(`${file}\t${text.slice(0, 4).join(' | ')}`);
