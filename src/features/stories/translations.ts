import { renderMarkdown } from '#src/lib/markdown.ts';
import type { Translations } from '#src/lib/localised.ts';

// Each other language's body rendered to HTML once, on save, as the English is.
export function withRenderedBodies(translations: Translations | null | undefined): Translations {
  const out: Translations = {};
  for (const [lang, version] of Object.entries(translations ?? {})) {
    if (!version) continue;
    const { bodyHtml: _stale, ...rest } = version;
    out[lang as keyof Translations] = rest.bodyMarkdown ? { ...rest, bodyHtml: renderMarkdown(rest.bodyMarkdown) } : rest;
  }
  return out;
}
