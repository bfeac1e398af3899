import { z } from 'zod';
import { slugify } from '#src/lib/text.ts';

export const storyStatuses = ['draft', 'published'] as const;
export type StoryStatus = (typeof storyStatuses)[number];

// The order fields appear in the form, so the error summary follows it.
export const storyFieldOrder = [
  'title',
  'slug',
  'summary',
  'body',
  'authorName',
  'authorJobTitle',
  'tags',
  'publishedAt',
  'status',
  'comments',
];

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_TAGS = 10;

export type CalendarDate = { year: number; month: number; day: number };
export type StoryTagInput = { slug: string; name: string };

const required = (message: string, max: number, tooLong: string) => z.string({ error: message }).min(1, message).max(max, tooLong);
const optionalText = (max: number, tooLong: string) =>
  z
    .string({ error: tooLong })
    .max(max, tooLong)
    .optional()
    .transform((v) => v ?? '');

// "Coproduction, patient voice ,coproduction" → two tags, named as first written.
export function parseTags(raw: string): StoryTagInput[] {
  const seen = new Map<string, StoryTagInput>();
  for (const part of raw.split(',')) {
    const name = part.replace(/\s+/g, ' ').trim();
    if (!name) continue;
    const slug = slugify(name);
    if (!seen.has(slug)) seen.set(slug, { slug, name });
  }
  return [...seen.values()];
}

const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric' });

// The calendar date in the UK, which is what staff mean by "today".
export function londonDate(d: Date): CalendarDate {
  const parts = Object.fromEntries(londonParts.formatToParts(d).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) };
}

export const sameDate = (a: CalendarDate, b: CalendarDate) => a.year === b.year && a.month === b.month && a.day === b.day;

function parseDate(day: string, month: string, year: string): { ok: true; date: CalendarDate } | { ok: false; message: string } {
  if (!day && !month && !year) return { ok: false, message: 'Enter the publish date' };
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length) return { ok: false, message: `Publish date must include a ${missing.join(' and ')}` };
  if (![day, month, year].every((p) => /^\d+$/.test(p))) return { ok: false, message: 'Publish date must be a real date' };
  const date = { day: Number(day), month: Number(month), year: Number(year) };
  if (year.length !== 4) return { ok: false, message: 'Year must include 4 numbers' };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (check.getUTCFullYear() !== date.year || check.getUTCMonth() !== date.month - 1 || check.getUTCDate() !== date.day) {
    return { ok: false, message: 'Publish date must be a real date' };
  }
  if (date.year < 1990 || date.year > 2100) return { ok: false, message: 'Publish date must be between 1990 and 2100' };
  return { ok: true, date };
}

const TagsField = optionalText(500, 'Tags must be 500 characters or fewer in total').transform((raw, ctx) => {
  const tags = parseTags(raw);
  if (tags.some((t) => !t.slug)) ctx.addIssue({ code: 'custom', message: 'Each tag must include a letter or number' });
  else if (tags.length > MAX_TAGS) ctx.addIssue({ code: 'custom', message: `Enter ${MAX_TAGS} tags or fewer` });
  else if (tags.some((t) => t.name.length > 50)) ctx.addIssue({ code: 'custom', message: 'Each tag must be 50 characters or fewer' });
  return tags;
});

const DateField = z.object({ day: z.string(), month: z.string(), year: z.string() }).transform((parts, ctx) => {
  const parsed = parseDate(parts.day, parts.month, parts.year);
  if (parsed.ok) return parsed.date;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});

const asText = (v: unknown) => (typeof v === 'string' ? v : '');

// What the story form posts (after trimming). Field names match the form's inputs; the date
// input's three boxes (publishedAt-day, -month, -year) are validated as one field.
export const StoryFormSchema = z
  .preprocess(
    (body) => {
      const b = (body ?? {}) as Record<string, unknown>;
      const date = { day: asText(b['publishedAt-day']), month: asText(b['publishedAt-month']), year: asText(b['publishedAt-year']) };
      return { ...b, publishedAt: date };
    },
    z.object({
      title: required('Enter a title', 200, 'Title must be 200 characters or fewer'),
      slug: optionalText(80, 'Slug must be 80 characters or fewer').pipe(
        z.string().regex(/^$|^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Slug must only include lowercase letters a to z, numbers and single hyphens'),
      ),
      summary: required('Enter a summary', 300, 'Summary must be 300 characters or fewer'),
      body: required('Enter the story', 100_000, 'Story must be 100,000 characters or fewer'),
      authorName: required('Enter the author’s name', 120, 'Author’s name must be 120 characters or fewer'),
      authorJobTitle: optionalText(120, 'Author’s job title must be 120 characters or fewer'),
      tags: TagsField,
      publishedAt: DateField,
      status: z.enum(storyStatuses, { message: 'Choose whether the story is a draft or published' }),
      comments: z.enum(['open', 'closed'], { message: 'Choose whether people can comment on the story' }),
    }),
  )
  .transform((form) => ({
    title: form.title,
    slug: form.slug,
    summary: form.summary,
    bodyMarkdown: form.body,
    authorName: form.authorName,
    authorJobTitle: form.authorJobTitle || null,
    tags: form.tags,
    publishedOn: form.publishedAt,
    status: form.status,
    commentsOpen: form.comments === 'open',
  }));

// What the service saves: a validated form, or the same shape built by code (seeds, tests).
export type StoryInput = z.output<typeof StoryFormSchema>;

// The form's own values (strings), for showing a story in the edit form.
export type StoryFormValues = Record<string, string>;
