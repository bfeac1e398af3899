import { readFileSync } from 'node:fs';
import { filesUnder } from '#tests/helpers/files.ts';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { catalogueTexts, createI18n, languages } from '#src/lib/i18n.ts';
import { hardCodedText } from '#tests/helpers/i18n-scan.ts';

// Every word of the interface comes from a catalogue (locales/<lang>/*.json; docs/architecture.md,
// "Languages"). These checks keep it so as pages are added.

const root = resolve(import.meta.dirname, '..');
const rel = (p: string) => relative(root, p);

const templates = filesUnder(join(root, 'src'), (p) => p.endsWith('.njk'));
const sources = filesUnder(join(root, 'src'), (p) => p.endsWith('.ts') && !p.endsWith('.test.ts'));

const catalogues = Object.fromEntries(languages.map((l) => [l.code, catalogueTexts(l.code)]));
const en = catalogues.en!;
const pluralSuffixes = ['_zero', '_one', '_two', '_few', '_many', '_other'];
const baseKey = (k: string) => pluralSuffixes.reduce((key, s) => (key.endsWith(s) ? key.slice(0, -s.length) : key), k);
const enBaseKeys = new Set([...en.keys()].map(baseKey));
// Staff pages' keys (any part named `admin`): other languages may leave them to English for now.
const staffOnly = (key: string) => key.split('.').includes('admin');

describe('the interface is in the catalogues', () => {
  it('no template has interface text written into it', () => {
    const offenders: string[] = [];
    for (const file of templates) {
      const text = hardCodedText(readFileSync(file, 'utf8'));
      if (text.length) offenders.push(`${rel(file)}: ${text.slice(0, 3).join(' | ')}`);
    }
    expect(offenders.join('\n'), 'write these through t("key") and a catalogue entry').toBe('');
  });

  it('the checker finds words and ignores code', () => {
    expect(hardCodedText('<h1>Page not found</h1>')).toEqual(['Page not found']);
    expect(hardCodedText('{{ button({ text: "Save" }) }}')).toEqual(['Save']);
    expect(hardCodedText('<img alt="A river">')).toEqual(['A river']);
    expect(hardCodedText('<h1>{{ t("errors.404.title") }}</h1> {# a note #} <p class="nhsuk-body">{{ name }}</p> – ©')).toEqual([]);
    expect(hardCodedText('{{ button({ text: t("common.save"), classes: "nhsuk-button--secondary" }) }}')).toEqual([]);
  });

  it('every key the code uses is in the English catalogue', () => {
    const missing: string[] = [];
    const namespaces = new Set([...en.keys()].map((k) => k.split('.')[0]));
    for (const file of [...templates, ...sources]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:t|tHtml|msg|html|message)\(\s*["']([a-zA-Z][\w-]*(?:\.[\w-]+)+)["']/g)) {
        const key = m[1]!;
        if (!namespaces.has(key.split('.')[0])) continue;
        if (!enBaseKeys.has(key)) missing.push(`${rel(file)}: ${key}`);
      }
    }
    expect(missing.join('\n')).toBe('');
  });

  it('every key in English is in every other language, with the same values to fill in', () => {
    for (const { code } of languages) {
      if (code === 'en') continue;
      const other = catalogues[code]!;
      const rules = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
      const problems: string[] = [];
      for (const [key, value] of en) {
        if (staffOnly(key)) continue;
        const base = baseKey(key);
        const forms = base === key ? [key] : rules.map((r) => `${base}_${r}`);
        for (const form of forms) {
          const translated = other.get(form);
          if (translated === undefined) {
            problems.push(`${code} lacks ${form}`);
            continue;
          }
          const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).filter((v) => v !== 'count');
          const want = new Set(vars(value));
          const have = new Set(vars(translated));
          for (const v of want) if (!have.has(v)) problems.push(`${code} ${form} does not use {{${v}}}`);
        }
      }
      for (const key of other.keys()) if (!enBaseKeys.has(baseKey(key))) problems.push(`${code} has ${key}, which English does not`);
      expect([...new Set(problems)].join('\n')).toBe('');
    }
  });

  it('macros that translate are imported with the page context', () => {
    // A macro imported without context cannot see the page's language and would speak English.
    const translating = new Set(
      templates.filter((f) =>
        /\{%\s*macro[\s\S]*?\b(t|tHtml)\(|\|\s*(message|govDate|govDateTime|number|money)\b/.test(readFileSync(f, 'utf8')),
      ),
    );
    const problems: string[] = [];
    for (const file of templates) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\{%\s*(?:from|import)\s+"([^"]+)"[^%]*%\}/g)) {
        const target = templates.find((t) => t.endsWith(`/${m[1]}`) || rel(t).endsWith(m[1]!));
        if (target && translating.has(target) && !/with context/.test(m[0])) problems.push(`${rel(file)} imports ${m[1]} without context`);
      }
    }
    expect(problems.join('\n')).toBe('');
  });

  it('a key no catalogue has is an error under test (a key built at run time cannot hide), and has() is not', () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    const tr = createI18n().translator('cy');
    expect(tr.has('meetings.options.nothing-here')).toBe(false);
    expect(reported).not.toHaveBeenCalled();
    expect(tr.t('meetings.options.nothing-here')).toBe('meetings.options.nothing-here');
    expect(reported).toHaveBeenCalledWith('No catalogue has the key "meetings.options.nothing-here"');
    expect(tr.t('meetings.options.mode.online')).toBe('Ar-lein');
  });
});
