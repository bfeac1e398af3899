import { describe, expect, it } from 'vitest';
import { catalogueTexts, createI18n, languages } from './i18n.ts';
import { msg } from './messages.ts';

const i18n = createI18n();
describe('the translator', () => {
  it('says exactly what i18next says for every key in every language, with and without values', () => {
    // Plain texts take a quicker path than i18next (a page asks for the same keys many times).
    const samples = [
      undefined,
      { name: 'Ada <b>', org: 'Org', title: 'T', href: '/x', max: 5, label: 'L', missing: null },
      { count: 2, when: 'now' },
    ];
    const differ: string[] = [];
    for (const { code } of languages) {
      const reference = i18n.raw.getFixedT(code);
      const tr = i18n.translator(code);
      for (const key of catalogueTexts('en').keys())
        for (const values of samples) {
          const ours = tr.t(key, values);
          if (ours !== (reference as unknown as (k: string, v?: object) => string)(key, values)) differ.push(`${code} ${key}: ${ours}`);
        }
    }
    expect(differ).toEqual([]);
  });

  it('falls back to English key by key, never to the raw key for a key English has', () => {
    const cy = i18n.translator('cy');
    expect(cy.t('common.nav.home')).toBe('Hafan');
    expect(cy.t('fields.text.tooLong', { label: 'Enw', max: 2000 })).toBe('Mae Enw yn rhy hir: defnyddiwch 2,000 nod neu lai');
    expect(cy.message(msg('fields.text.tooLong', { label: msg('fields.email.missing'), max: 5 }))).toContain(
      'Rhowch eich cyfeiriad e-bost',
    );
    expect(cy.message('Plain words stay as they are')).toBe('Plain words stay as they are');
  });

  it('formats dates, times, numbers and money for the language', () => {
    const when = new Date('2026-03-03T16:05:00Z');
    expect(i18n.translator('en').dateTime(when)).toBe('3 March 2026 at 4:05pm');
    expect(i18n.translator('cy').dateTime(when)).toBe('3 Mawrth 2026 am 4:05yp');
    expect(i18n.translator('en').money(12345)).toBe('£123.45');
    expect(i18n.translator('cy').number(1234567)).toBe('1,234,567');
  });
});
