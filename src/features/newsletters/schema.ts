import { z } from 'zod';
import { subscriberStatuses } from './tables.ts';

// The privacy notice a person was shown when they gave consent; recorded with every consent
// event. Change it whenever the notice's section on email updates changes.
export const PRIVACY_NOTICE_VERSION = '2026-11';

export const emailField = z
  .string({ error: 'Enter your email address' })
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email('Enter an email address in the correct format, like name@example.com'))
  .transform((e) => e.toLowerCase());

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
  topics: idList('Choose at least one topic'),
});

export const PreferencesSchema = z.object({
  topics: idList('Choose at least one topic, or unsubscribe from all emails'),
});

export const TopicSchema = z.object({
  name: z.string({ error: 'Enter a topic name' }).min(1, 'Enter a topic name').max(80, 'Topic name must be 80 characters or fewer'),
});

export const audiences = ['all', 'topics'] as const;
export const NewsletterFormSchema = z
  .object({
    subject: z.string({ error: 'Enter a subject' }).min(1, 'Enter a subject').max(150, 'Subject must be 150 characters or fewer'),
    body: z
      .string({ error: 'Enter the newsletter' })
      .transform((v) => v.replace(/\r\n?/g, '\n'))
      .pipe(z.string().min(1, 'Enter the newsletter').max(50_000, 'The newsletter must be 50,000 characters or fewer')),
    audience: z.enum(audiences, { error: 'Choose who to send it to' }),
    topics: z.unknown().optional(),
  })
  .transform((v, ctx) => {
    if (v.audience === 'all') return { subject: v.subject, body: v.body, topicIds: [] as number[] };
    const ids = idList('Choose at least one topic').safeParse(v.topics);
    if (!ids.success) {
      ctx.addIssue({ code: 'custom', path: ['topics'], message: 'Choose at least one topic' });
      return z.NEVER;
    }
    return { subject: v.subject, body: v.body, topicIds: ids.data };
  });
export type NewsletterInput = z.infer<typeof NewsletterFormSchema>;
export const newsletterFieldOrder = ['subject', 'body', 'audience', 'topics'];

export const BounceSchema = z.object({
  email: emailField,
  type: z.enum(['bounce', 'complaint']),
});

export const MarkSchema = z.object({ type: z.enum(['bounced', 'complained', 'unsubscribed'], { error: 'Choose what happened' }) });

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
