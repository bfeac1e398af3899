import { defaultLang, languages, type Lang } from './i18n.ts';

// Other languages' versions of a row's text fields: { cy: { title: '…', body: '…' } }.
// English is the row's own columns (src/db/columns.ts).
export type Translations = Partial<Record<Lang, Record<string, string>>>;

// What a page shows of one record in one language: each field's text, and whether the page has to
// fall back to English for it (then the template marks that part lang="en" and says so in the
// page's language: src/views/partials/localised.njk).
export type Localised<K extends string> = Record<K, string> & { contentLang: Lang; englishOnly: boolean };

export function localised<T extends Record<string, unknown>, K extends keyof T & string>(
  row: T & { translations?: Translations | null },
  fields: readonly K[],
  lang: Lang,
): T & Localised<K> {
  if (lang === defaultLang) return { ...row, contentLang: defaultLang, englishOnly: false } as T & Localised<K>;
  const version = row.translations?.[lang] ?? {};
  // A version counts when its first field (the title, say) is written: a half-translated record
  // shows the translated fields and English for the rest, each marked.
  const has = Boolean(version[fields[0]!]?.trim());
  if (!has) return { ...row, contentLang: defaultLang, englishOnly: true } as T & Localised<K>;
  const out: Record<string, unknown> = { ...row, contentLang: lang, englishOnly: false };
  for (const f of fields) {
    const text = version[f]?.trim();
    if (text) out[f] = version[f];
  }
  return out as T & Localised<K>;
}

// A form's side-by-side fields for other languages, named `<field>_<lang>` ("title_cy"), gathered
// into a translations object. Empty fields are left out, so an empty form removes a version.
export function translationsFromForm(body: Record<string, unknown>, fields: readonly string[]): Translations {
  const out: Translations = {};
  for (const { code } of languages) {
    if (code === defaultLang) continue;
    const version: Record<string, string> = {};
    for (const f of fields) {
      const v = body[`${f}_${code}`];
      if (typeof v === 'string' && v.trim()) version[f] = v.trim();
    }
    if (Object.keys(version).length) out[code] = version;
  }
  return out;
}

// The form's values for those fields, for showing the form again: { title_cy: '…' }.
export function translationsToForm(translations: Translations | null | undefined, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [code, version] of Object.entries(translations ?? {})) {
    for (const f of fields) if (version?.[f]) out[`${f}_${code}`] = version[f];
  }
  return out;
}
