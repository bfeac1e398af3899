import { z } from 'zod';
import { slugify } from '#src/lib/text.ts';
import { msg } from '#src/lib/messages.ts';

const m = (key: string, values?: Record<string, number>) => msg(`stories.admin.form.${key}`, values);

export const storyStatuses = ['draft', 'published'] as const;
export type StoryStatus = (typeof storyStatuses)[number];

// The order fields appear in the form, so the error summary follows it.
export const storyFieldOrder = [
  'title',
  'title_cy',
  'slug',
  'summary',
  'summary_cy',
  'body',
  'body_cy',
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

const missingPartKeys: Record<string, string> = {
  day: 'day',
  month: 'month',
  year: 'year',
  'day month': 'dayMonth',
  'day year': 'dayYear',
  'month year': 'monthYear',
};

function parseDate(day: string, month: string, year: string): { ok: true; date: CalendarDate } | { ok: false; message: string } {
  if (!day && !month && !year) return { ok: false, message: m('publishedAt.missing') };
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length) return { ok: false, message: m(`publishedAt.include.${missingPartKeys[missing.join(' ')]}`) };
  if (![day, month, year].every((p) => /^\d+$/.test(p))) return { ok: false, message: m('publishedAt.real') };
  const date = { day: Number(day), month: Number(month), year: Number(year) };
  if (year.length !== 4) return { ok: false, message: m('publishedAt.yearDigits') };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (check.getUTCFullYear() !== date.year || check.getUTCMonth() !== date.month - 1 || check.getUTCDate() !== date.day) {
    return { ok: false, message: m('publishedAt.real') };
  }
  if (date.year < 1990 || date.year > 2100) return { ok: false, message: m('publishedAt.range') };
  return { ok: true, date };
}

const TagsField = optionalText(500, m('tags.tooLong')).transform((raw, ctx) => {
  const tags = parseTags(raw);
  if (tags.some((t) => !t.slug)) ctx.addIssue({ code: 'custom', message: m('tags.noLetters') });
  else if (tags.length > MAX_TAGS) ctx.addIssue({ code: 'custom', message: m('tags.tooMany', { max: MAX_TAGS }) });
  else if (tags.some((t) => t.name.length > 50)) ctx.addIssue({ code: 'custom', message: m('tags.tagTooLong') });
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
    z
      .object({
        title: required(m('title.missing'), 200, m('title.tooLong')),
        slug: optionalText(80, m('slug.tooLong')).pipe(z.string().regex(/^$|^[a-z0-9]+(?:-[a-z0-9]+)*$/, m('slug.pattern'))),
        summary: required(m('summary.missing'), 300, m('summary.tooLong')),
        body: required(m('body.missing'), 100_000, m('body.tooLong')),
        // The Welsh version: all three fields, or none (a story is never half in Welsh).
        title_cy: optionalText(200, m('title.tooLongCy')),
        summary_cy: optionalText(300, m('summary.tooLongCy')),
        body_cy: optionalText(100_000, m('body.tooLongCy')),
        authorName: required(m('authorName.missing'), 120, m('authorName.tooLong')),
        authorJobTitle: optionalText(120, m('authorJobTitle.tooLong')),
        tags: TagsField,
        publishedAt: DateField,
        status: z.enum(storyStatuses, { message: m('status.missing') }),
        comments: z.enum(['open', 'closed'], { message: m('comments.missing') }),
      })
      .superRefine((form, ctx) => {
        const welsh = { title_cy: form.title_cy, summary_cy: form.summary_cy, body_cy: form.body_cy };
        if (!Object.values(welsh).some(Boolean)) return;
        for (const [field, value] of Object.entries(welsh)) {
          if (!value) ctx.addIssue({ code: 'custom', path: [field], message: m(`${field.replace('_cy', '')}.missingCy`) });
        }
      }),
  )
  .transform((form) => ({
    title: form.title,
    slug: form.slug,
    summary: form.summary,
    bodyMarkdown: form.body,
    // Other languages' versions; the service renders each body's HTML as it does the English.
    translations: form.title_cy ? { cy: { title: form.title_cy, summary: form.summary_cy, bodyMarkdown: form.body_cy } } : {},
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

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
// What the image form's file field holds once read (see admin-image-routes.ts).
export type UploadedImage = { filename: string; data: Buffer; truncated: boolean };

const uploadedImage = z.custom<UploadedImage>(
  (v) => !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedImage).data) && (v as UploadedImage).data.length > 0,
  { message: msg('storyImages.admin.errors.file.missing') },
);

// An image added to a story: the file, words for people who cannot see it, and a caption.
export const ImageFormSchema = z.object({
  file: uploadedImage.refine((f) => !f.truncated, msg('storyImages.admin.errors.file.tooLarge', { max: MAX_IMAGE_BYTES / 1024 / 1024 })),
  altText: z
    .string({ error: msg('storyImages.admin.errors.altText.missing') })
    .min(1, msg('storyImages.admin.errors.altText.missing'))
    .max(250, msg('storyImages.admin.errors.altText.tooLong', { max: 250 })),
  caption: z
    .string()
    .max(300, msg('storyImages.admin.errors.caption.tooLong', { max: 300 }))
    .optional()
    .transform((v) => v || null),
});
export const imageFieldOrder = ['file', 'altText', 'caption'];
