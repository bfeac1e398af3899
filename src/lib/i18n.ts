import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import i18next, { type i18n as I18next, type TFunction } from 'i18next';
import { readMessage } from './messages.ts';

// The interface in every language we offer. A language is one folder of JSON files under locales/
// (one file per area: locales/cy/comments.json holds every key that starts `comments.`) and one
// entry here. English is the source: every key exists in it; another language may lack a staff
// page's key, and then that key falls back to English (never to the raw key).
export const languages = [
  { code: 'en', name: 'English', intl: 'en-GB' },
  { code: 'cy', name: 'Cymraeg', intl: 'cy-GB' },
] as const;
export type Lang = (typeof languages)[number]['code'];
export const defaultLang: Lang = 'en';
export const isLang = (v: unknown): v is Lang => languages.some((l) => l.code === v);

export const localesDir = resolve(import.meta.dirname, '../../locales');

// Every catalogue file of one language, each under its file's name: { comments: {...}, site: {...} }.
export function loadCatalogue(lang: string, dir = localesDir): Record<string, unknown> {
  const folder = join(dir, lang);
  if (!existsSync(folder)) return {};
  const out: Record<string, unknown> = {};
  for (const file of readdirSync(folder).sort()) {
    if (!file.endsWith('.json')) continue;
    out[file.slice(0, -5)] = JSON.parse(readFileSync(join(folder, file), 'utf8'));
  }
  return out;
}

// A language's texts by full key ('comments.form.name.label' → 'Name'), for checks and tools.
export function catalogueTexts(lang: string, dir = localesDir): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      if (v && typeof v === 'object') walk(v as Record<string, unknown>, `${prefix}${k}.`);
      else out.set(`${prefix}${k}`, String(v));
    }
  };
  walk(loadCatalogue(lang, dir), '');
  return out;
}

export type Values = Record<string, unknown>;

// What a page, an email or a service uses to speak one language.
export type Translator = {
  lang: Lang;
  // Plain text: values are interpolated as they are (templates escape the whole result).
  t: (key: string, values?: Values) => string;
  // Text with markup written in the catalogue (a link, say): values are escaped, the rest is trusted.
  html: (key: string, values?: Values) => string;
  // A message made by msg() (lib/messages.ts), or text that is already words (shown as it is).
  message: (message: string | null | undefined) => string;
  has: (key: string) => boolean;
  date: (d: Date | string | null | undefined) => string;
  dateTime: (d: Date | string | null | undefined) => string;
  number: (n: number) => string;
  money: (pence: number) => string;
};

export type I18n = { translator: (lang: string | null | undefined) => Translator; raw: I18next };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createI18n(dir = localesDir): I18n {
  const instance = i18next.createInstance();
  const resources = Object.fromEntries(languages.map((l) => [l.code, { translation: loadCatalogue(l.code, dir) }]));
  void instance.init({
    resources,
    lng: defaultLang,
    fallbackLng: defaultLang,
    supportedLngs: languages.map((l) => l.code),
    initAsync: false,
    returnNull: false,
    returnEmptyString: false,
    interpolation: { escapeValue: false },
    // Keys are dotted paths only; text with a colon is never read as a namespace.
    nsSeparator: false,
    // Under test, a key no catalogue has (one built at run time, say) is an error, which fails the
    // test (tests/setup.ts): otherwise the page would quietly show the key itself. Words that are
    // not keys (a taxonomy's labels, shown as they are) are not reported.
    saveMissing: process.env.NODE_ENV === 'test',
    missingKeyHandler: (_langs, _ns, key, fallback) => {
      const namespace = /^([a-zA-Z][\w-]*)(?:\.[\w-]+)+$/.exec(key)?.[1];
      if (fallback === key && namespace && namespace in resources.en!.translation) console.error(`No catalogue has the key "${key}"`);
    },
  });
  const cache = new Map<string, Translator>();
  const translator = (lang: string | null | undefined): Translator => {
    const code: Lang = isLang(lang) ? lang : defaultLang;
    let tr = cache.get(code);
    if (!tr) {
      tr = makeTranslator(code, instance.getFixedT(code), (key) => rawText(instance, code, key));
      cache.set(code, tr);
    }
    return tr;
  };
  return { translator, raw: instance };
}

// The catalogue text for a key in a language, or English when the language lacks it; undefined for
// a missing key or one that names a group of keys.
function rawText(instance: I18next, lang: Lang, key: string): string | undefined {
  const found = (instance.getResource(lang, 'translation', key) ?? instance.getResource(defaultLang, 'translation', key)) as unknown;
  return typeof found === 'string' ? found : undefined;
}

// Text that needs nothing of i18next but plain {{name}} placeholders: no plural or context (they
// choose between keys), no formats ({{n, number}}), no nesting ($t(…)).
const simpleText = (text: string | undefined) => (text !== undefined && !/\{\{[^}]*,|\$t\(|\{\{-/.test(text) ? text : null);
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v.toString();
  return v == null ? '' : JSON.stringify(v);
}
const needsI18next = (values: Values | undefined) => !!values && ('count' in values || 'context' in values || 'defaultValue' in values);

function makeTranslator(lang: Lang, fixed: TFunction, raw: (key: string) => string | undefined): Translator {
  const intl = languages.find((l) => l.code === lang)!.intl;
  const dateFormat = new Intl.DateTimeFormat(intl, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  // Hours and minutes from one format; the words for morning and afternoon from the catalogue.
  const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' });
  const numberFormat = new Intl.NumberFormat(intl);
  const moneyFormat = new Intl.NumberFormat(intl, { style: 'currency', currency: 'GBP' });
  // A page with 200 comments asks for the same few keys over a thousand times: plain texts are
  // looked up once per key and filled in here; everything else goes through i18next.
  const simple = new Map<string, string | null>();
  const t = (key: string, values?: Values): string => {
    if (!needsI18next(values)) {
      let text = simple.get(key);
      if (text === undefined) {
        text = simpleText(raw(key));
        simple.set(key, text);
      }
      if (text !== null)
        return values
          ? text.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) => (name in values ? asText(values[name]) : match))
          : text;
    }
    return fixed(key, values as Record<string, unknown>);
  };
  const toDate = (d: Date | string | null | undefined) => (d ? (d instanceof Date ? d : new Date(d)) : null);
  const tr: Translator = {
    lang,
    t,
    html: (key, values) => {
      const escaped: Values = {};
      for (const [k, v] of Object.entries(values ?? {})) escaped[k] = typeof v === 'string' ? escapeHtml(v) : v;
      return t(key, escaped);
    },
    message: (message) => {
      if (!message) return '';
      const parsed = readMessage(message);
      if (!parsed) return message;
      const values: Values = {};
      // A value that is itself a message (a field's label, say) is translated first.
      for (const [k, v] of Object.entries(parsed.values ?? {})) values[k] = typeof v === 'string' && readMessage(v) ? tr.message(v) : v;
      return t(parsed.key, values);
    },
    has: (key) => fixed(key, { defaultValue: '\u0000' }) !== '\u0000',
    date: (d) => {
      const date = toDate(d);
      return date ? dateFormat.format(date) : '';
    },
    // "4:05pm on 3 March 2026" in English; the same parts in the language's own order.
    dateTime: (d) => {
      const date = toDate(d);
      if (!date) return '';
      const parts = timeFormat.formatToParts(date);
      const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
      const time = `${part('hour')}:${part('minute')}${t(part('dayPeriod').toLowerCase() === 'pm' ? 'common.time.pm' : 'common.time.am')}`;
      return t('common.dateTime', { time, date: dateFormat.format(date) });
    },
    number: (n) => numberFormat.format(n),
    money: (pence) => moneyFormat.format(pence / 100),
  };
  return tr;
}
