import type { Translator } from '#src/lib/i18n.ts';
import type { EmailContent } from './service.ts';

// An email written entirely in one catalogue entry: `<words>.subject`, `.heading`, one paragraph
// per key in `paragraphs`, and `.action` for the button when there is a link. Every text gets the
// same values.
export function emailFromWords(
  tr: Translator,
  to: string,
  o: { words: string; paragraphs: string[]; values?: Record<string, unknown>; href?: string },
): EmailContent {
  const w = (key: string) => tr.t(`${o.words}.${key}`, o.values ?? {});
  return {
    to,
    lang: tr.lang,
    subject: w('subject'),
    heading: w('heading'),
    paragraphs: o.paragraphs.map(w),
    ...(o.href ? { action: { text: w('action'), href: o.href } } : {}),
  };
}
