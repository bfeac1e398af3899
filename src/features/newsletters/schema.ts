import { z } from 'zod';
import { emailField } from '#src/lib/fields.ts';
import { languages } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import type { Translations } from '#src/lib/localised.ts';
import { subscriberStatuses } from './tables.ts';

export { emailField };

// The privacy notice a person was shown when they gave consent; recorded with every consent
// event. Change it whenever the notice's section on email updates changes.
export const PRIVACY_NOTICE_VERSION = '2026-11';

// Checkboxes arrive as nothing, one string or several; ids are whole numbers.
const idList = (empty: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : [v].flat()),
    z
      .array(z.string().regex(/^[1-9]\d{0,8}$/, empty), { error: empty })
      .min(1, empty)
      .max(100, empty)
      .transform((ids) => [...new Set(ids.map(Number))]),
  );

export const SignUpSchema = z.object({
  email: emailField,
  topics: idList(msg('newsletters.validation.topics')),
});

// A subscriber staff add by hand: they gave consent elsewhere (in person, on a paper form), so
// where and when is recorded; the date is read from the date input by the service.
const S = 'subscribers.admin.add';
export const AddSubscriberSchema = z.object({
  email: emailField,
  name: z
    .string({ error: msg(`${S}.name.tooLong`) })
    .max(120, msg(`${S}.name.tooLong`))
    .refine((v) => !/[<>\p{Cc}]/u.test(v), msg(`${S}.name.characters`))
    .optional()
    .transform((v) => v || null),
  topics: idList(msg(`${S}.topics.missing`)),
  consentSource: z
    .string({ error: msg(`${S}.source.missing`) })
    .min(1, msg(`${S}.source.missing`))
    .max(200, msg(`${S}.source.tooLong`))
    .refine((v) => !/\p{Cc}/u.test(v), msg(`${S}.source.characters`)),
});

const languageCodes = languages.map((l) => l.code) as [string, ...string[]];
export const PreferencesSchema = z.object({
  topics: idList(msg('newsletters.validation.preferencesTopics')),
  // Left out by an older form: the language stays as it was.
  language: z.enum(languageCodes, { error: msg('newsletters.validation.language') }).optional(),
});

const topicName = (empty: string, tooLong: string) => z.string({ error: empty }).min(1, empty).max(80, tooLong);
export const TopicSchema = z.object({
  name: topicName(msg('newsletters.admin.validation.topicName'), msg('newsletters.admin.validation.topicNameTooLong')),
  // The topic's name in Welsh (and any other language), shown on the public pages in that language.
  name_cy: z
    .string()
    .max(80, msg('newsletters.admin.validation.topicNameCyTooLong'))
    .optional()
    .transform((v) => v?.trim() || null),
});

export const audiences = ['all', 'topics'] as const;
const A = 'newsletters.admin.validation';
const lineBreaks = (v: string) => v.replace(/\r\n?/g, '\n');
// The Welsh version is optional, but a half version (a subject without a body) is a mistake.
const welshSubject = z
  .string()
  .max(150, msg(`${A}.subjectCyTooLong`))
  .optional()
  .transform((v) => v?.trim() ?? '');
const welshBody = z
  .string()
  .max(50_000, msg(`${A}.bodyCyTooLong`))
  .optional()
  .transform((v) => lineBreaks(v ?? '').trim());

export const NewsletterFormSchema = z
  .object({
    subject: z
      .string({ error: msg(`${A}.subject`) })
      .min(1, msg(`${A}.subject`))
      .max(150, msg(`${A}.subjectTooLong`)),
    body: z
      .string({ error: msg(`${A}.body`) })
      .transform(lineBreaks)
      .pipe(
        z
          .string()
          .min(1, msg(`${A}.body`))
          .max(50_000, msg(`${A}.bodyTooLong`)),
      ),
    subject_cy: welshSubject,
    body_cy: welshBody,
    audience: z.enum(audiences, { error: msg(`${A}.audience`) }),
    topics: z.unknown().optional(),
  })
  .transform((v, ctx) => {
    if (v.subject_cy && !v.body_cy) ctx.addIssue({ code: 'custom', path: ['body_cy'], message: msg(`${A}.bodyCy`) });
    if (v.body_cy && !v.subject_cy) ctx.addIssue({ code: 'custom', path: ['subject_cy'], message: msg(`${A}.subjectCy`) });
    const translations: Translations = v.subject_cy && v.body_cy ? { cy: { subject: v.subject_cy, body: v.body_cy } } : {};
    if (v.audience === 'all') return { subject: v.subject, body: v.body, translations, topicIds: [] as number[] };
    const ids = idList(msg(`${A}.topics`)).safeParse(v.topics);
    if (!ids.success) {
      ctx.addIssue({ code: 'custom', path: ['topics'], message: msg(`${A}.topics`) });
      return z.NEVER;
    }
    return { subject: v.subject, body: v.body, translations, topicIds: ids.data };
  });
export type NewsletterInput = z.infer<typeof NewsletterFormSchema>;
export const newsletterFieldOrder = ['subject', 'body', 'subject_cy', 'body_cy', 'audience', 'topics'];
// The fields each language's version has (newsletters.translations).
export const newsletterTextFields = ['subject', 'body'] as const;

export const BounceSchema = z.object({
  email: emailField,
  type: z.enum(['bounce', 'complaint']),
});

export const MarkSchema = z.object({
  type: z.enum(['bounced', 'complained', 'unsubscribed'], { error: msg('newsletters.admin.validation.markType') }),
});

export const SubscriberQuerySchema = z.object({
  q: z.string().trim().max(200).optional().default(''),
  status: z
    .enum([...subscriberStatuses, ''])
    .optional()
    .default(''),
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .optional()
    .transform((v) => (v ? Number(v) : 1)),
});
