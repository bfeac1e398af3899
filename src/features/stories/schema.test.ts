import { describe, expect, it } from 'vitest';
import { validateForm } from '#src/lib/forms.ts';
import { londonDate, parseTags, StoryFormSchema } from './schema.ts';
import { resolvePublishedAt } from './service.ts';
import { paginationParams, parsePage } from '#src/lib/pagination.ts';
import { storyForm } from './testing.ts';
import { createI18n } from '#src/lib/i18n.ts';

// Validation speaks in messages (msg()); these tests read them as an English page would.
const english = createI18n().translator('en');
const inEnglish = (result: ReturnType<typeof validateForm>) =>
  result.ok ? result : { ok: false, errors: Object.fromEntries(Object.entries(result.errors).map(([k, v]) => [k, english.message(v)])) };

describe('story form', () => {
  it('turns a valid form into what the service saves', () => {
    const result = validateForm(StoryFormSchema, {
      ...storyForm({ title: 'Hello', tags: ' Coproduction , co-production,Mental  health,, ', comments: 'closed', status: 'draft' }),
      'publishedAt-day': '7',
      'publishedAt-month': '3',
      'publishedAt-year': '2026',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      title: 'Hello',
      authorJobTitle: null,
      status: 'draft',
      commentsOpen: false,
      publishedOn: { day: 7, month: 3, year: 2026 },
      tags: [
        { slug: 'coproduction', name: 'Coproduction' },
        { slug: 'co-production', name: 'co-production' },
        { slug: 'mental-health', name: 'Mental health' },
      ],
    });
  });

  it('explains every problem at once', () => {
    const result = validateForm(StoryFormSchema, {});
    expect(inEnglish(result)).toEqual({
      ok: false,
      errors: {
        title: 'Enter a title',
        summary: 'Enter a summary',
        body: 'Enter the story',
        authorName: 'Enter the author’s name',
        publishedAt: 'Enter the publish date',
        status: 'Choose whether the story is a draft or published',
        comments: 'Choose whether people can comment on the story',
      },
    });
  });

  it.each([
    [{ 'publishedAt-day': '31', 'publishedAt-month': '2', 'publishedAt-year': '2026' }, 'Publish date must be a real date'],
    [{ 'publishedAt-day': '', 'publishedAt-month': '2', 'publishedAt-year': '2026' }, 'Publish date must include a day'],
    [{ 'publishedAt-day': '1', 'publishedAt-month': '', 'publishedAt-year': '' }, 'Publish date must include a month and year'],
    [{ 'publishedAt-day': '1', 'publishedAt-month': 'Jan', 'publishedAt-year': '2026' }, 'Publish date must be a real date'],
    [{ 'publishedAt-day': '1', 'publishedAt-month': '1', 'publishedAt-year': '26' }, 'Year must include 4 numbers'],
  ])('rejects the date %o', (date, message) => {
    const result = validateForm(StoryFormSchema, { ...storyForm(), ...date });
    expect(inEnglish(result)).toEqual({ ok: false, errors: { publishedAt: message } });
  });

  it('rejects a badly formed slug and tags without letters', () => {
    const result = validateForm(StoryFormSchema, storyForm({ slug: 'Not A Slug', tags: 'Good, !!!' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['slug', 'tags']);
  });

  it('parses tags once each, keeping the first spelling', () => {
    expect(parseTags('A b, a  B,c')).toEqual([
      { slug: 'a-b', name: 'A b' },
      { slug: 'c', name: 'c' },
    ]);
  });
});

describe('publish dates', () => {
  const now = new Date('2026-11-23T15:30:00Z');

  it('keeps the saved moment when the date is unchanged, uses now for today, midnight otherwise', () => {
    const saved = new Date('2026-10-27T09:00:00Z');
    expect(resolvePublishedAt({ year: 2026, month: 10, day: 27 }, now, saved)).toBe(saved);
    expect(resolvePublishedAt({ year: 2026, month: 11, day: 23 }, now, saved)).toBe(now);
    expect(resolvePublishedAt({ year: 2026, month: 12, day: 1 }, now, null).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('reads dates in UK time, summer and winter', () => {
    expect(londonDate(new Date('2026-07-01T23:30:00Z'))).toEqual({ year: 2026, month: 7, day: 2 });
    expect(londonDate(new Date('2026-12-01T23:30:00Z'))).toEqual({ year: 2026, month: 12, day: 1 });
    const midnight = resolvePublishedAt({ year: 2026, month: 7, day: 2 }, now, null);
    expect(londonDate(midnight)).toEqual({ year: 2026, month: 7, day: 2 });
  });
});

describe('pagination', () => {
  it('accepts only whole page numbers from 1', () => {
    expect(parsePage(undefined)).toBe(1);
    expect(parsePage('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'abc', '1e3', '9999999', ['1', '2']]) expect(parsePage(bad)).toBeNull();
  });

  it('gives the NHS component first, last, neighbours and gaps', () => {
    const href = (n: number) => `/s?page=${n}`;
    expect(paginationParams(1, 10, 10, href)).toBeNull();
    const p = paginationParams(5, 95, 10, href)!;
    expect(p.items.map((i) => (i.ellipsis ? '…' : i.current ? `[${i.number}]` : i.number))).toEqual([1, '…', 4, '[5]', 6, '…', 10]);
    expect(p.previous).toEqual({ href: '/s?page=4' });
    expect(p.next).toEqual({ href: '/s?page=6' });
    expect(paginationParams(10, 95, 10, href)!.next).toBeUndefined();
  });
});
