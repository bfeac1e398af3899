import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languages, loadCatalogue } from '#src/lib/i18n.ts';
import { hardCodedText } from '#tests/helpers/i18n-scan.ts';

// Every word of the interface comes from a catalogue (locales/<lang>/*.json; docs/architecture.md,
// "Languages"). These checks keep it so as pages are added.

const root = resolve(import.meta.dirname, '..');
const rel = (p: string) => relative(root, p);

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

const templates = filesUnder(join(root, 'src'), (p) => p.endsWith('.njk'));
const sources = filesUnder(join(root, 'src'), (p) => p.endsWith('.ts') && !p.endsWith('.test.ts'));

// Templates not yet moved to the catalogue. It must only shrink; a new template is never added.
const notYetTranslated = new Set<string>([
  'src/features/accounts/views/check-email.njk',
  'src/features/accounts/views/continue.njk',
  'src/features/accounts/views/join.njk',
  'src/features/accounts/views/link-expired.njk',
  'src/features/accounts/views/sign-in-email.njk',
  'src/features/accounts/views/sign-in-methods-password.njk',
  'src/features/accounts/views/sign-in-methods-remove.njk',
  'src/features/accounts/views/sign-in-methods.njk',
  'src/features/accounts/views/sign-in-password.njk',
  'src/features/accounts/views/staff-sign-in.njk',
  'src/features/comments/views/_form.njk',
  'src/features/comments/views/_my-data.njk',
  'src/features/comments/views/_section.njk',
  'src/features/comments/views/_thread.njk',
  'src/features/comments/views/admin/_item.njk',
  'src/features/comments/views/admin/blocked.njk',
  'src/features/comments/views/admin/queue.njk',
  'src/features/comments/views/admin/reply.njk',
  'src/features/comments/views/new.njk',
  'src/features/comments/views/not-accepted.njk',
  'src/features/comments/views/report-thanks.njk',
  'src/features/comments/views/report.njk',
  'src/features/comments/views/thanks.njk',
  'src/features/data-rights/views/_my-data-consents.njk',
  'src/features/data-rights/views/data.njk',
  'src/features/data-rights/views/delete.njk',
  'src/features/data-rights/views/deleted.njk',
  'src/features/newsletters/views/_my-data.njk',
  'src/features/newsletters/views/admin/_status-tag.njk',
  'src/features/newsletters/views/admin/_subnav.njk',
  'src/features/newsletters/views/admin/confirm-send.njk',
  'src/features/newsletters/views/admin/draft.njk',
  'src/features/newsletters/views/admin/form.njk',
  'src/features/newsletters/views/admin/import-report.njk',
  'src/features/newsletters/views/admin/import.njk',
  'src/features/newsletters/views/admin/list.njk',
  'src/features/newsletters/views/admin/problem.njk',
  'src/features/newsletters/views/admin/progress.njk',
  'src/features/newsletters/views/admin/subscriber.njk',
  'src/features/newsletters/views/admin/subscribers.njk',
  'src/features/newsletters/views/admin/topics.njk',
  'src/features/newsletters/views/check-email.njk',
  'src/features/newsletters/views/confirm.njk',
  'src/features/newsletters/views/email.html.njk',
  'src/features/newsletters/views/link-problem.njk',
  'src/features/newsletters/views/preferences.njk',
  'src/features/newsletters/views/sign-up.njk',
  'src/features/newsletters/views/unsubscribe.njk',
  'src/features/newsletters/views/unsubscribed.njk',
  'src/features/newsletters/views/web-view.njk',
  'src/features/organisations/views/_details-fields.njk',
  'src/features/organisations/views/_my-data.njk',
  'src/features/organisations/views/admin/edit.njk',
  'src/features/organisations/views/admin/list.njk',
  'src/features/organisations/views/admin/organisation.njk',
  'src/features/organisations/views/done.njk',
  'src/features/organisations/views/list.njk',
  'src/features/organisations/views/not-accepted.njk',
  'src/features/organisations/views/profile-step.njk',
  'src/features/organisations/views/register.njk',
  'src/features/people/views/_my-data-notes.njk',
  'src/features/people/views/import-columns.njk',
  'src/features/people/views/import-confirm.njk',
  'src/features/people/views/import-progress.njk',
  'src/features/people/views/import-upload.njk',
  'src/features/people/views/people-export.njk',
  'src/features/people/views/people.njk',
  'src/features/people/views/person.njk',
  'src/features/profile/views/_my-data-equality.njk',
  'src/features/profile/views/_my-data-lived-experience.njk',
  'src/features/profile/views/_my-data-profile.njk',
  'src/features/profile/views/_step.njk',
  'src/features/profile/views/admin/term.njk',
  'src/features/profile/views/admin/terms.njk',
  'src/features/profile/views/profile.njk',
  'src/features/profile/views/step-access-needs.njk',
  'src/features/profile/views/step-availability.njk',
  'src/features/profile/views/step-contact.njk',
  'src/features/profile/views/step-details.njk',
  'src/features/profile/views/step-diversity.njk',
  'src/features/profile/views/step-interests.njk',
  'src/features/profile/views/step-lived-experience.njk',
  'src/features/profile/views/step-payment.njk',
  'src/features/site/views/home.njk',
  'src/features/site/views/privacy.njk',
  'src/features/site/views/settings.njk',
  'src/features/staff-home/views/home.njk',
  'src/features/stories/views/_story.njk',
  'src/features/stories/views/admin/form.njk',
  'src/features/stories/views/admin/list.njk',
  'src/features/stories/views/index.njk',
  'src/features/stories/views/story.njk',
  'src/features/stories/views/tag.njk',
  'src/platform/audit/views/_my-data.njk',
  'src/platform/audit/views/audit.njk',
  'src/platform/identity/views/_my-data-account.njk',
  'src/platform/identity/views/_my-data-sign-in.njk',
  'src/platform/mail/views/admin-mail.njk',
  'src/platform/mail/views/outbox-message.njk',
  'src/platform/mail/views/outbox.njk',
  'src/views/partials/import-progress.njk',
]);

// Flattens a catalogue to its keys: { a: { b: 'x' } } → { 'a.b': 'x' }.
function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

const catalogues = Object.fromEntries(languages.map((l) => [l.code, flatten(loadCatalogue(l.code))]));
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
      if (notYetTranslated.has(rel(file)) && !process.env.I18N_CHECK_ALL) continue;
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

  it('the not-yet-translated list names only templates that exist', () => {
    const names = new Set(templates.map(rel));
    expect([...notYetTranslated].filter((n) => !names.has(n))).toEqual([]);
  });
});
