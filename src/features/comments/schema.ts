import { z } from 'zod';
import { countLinks } from '#src/lib/text.ts';
import { commentStatuses } from './tables.ts';

export const MAX_COMMENT_LENGTH = 5000;
export const MAX_SIGNATURE_LENGTH = 120;
export const MAX_LINKS = 3;

// Browsers send textarea line breaks as CRLF; counting those twice would wrongly refuse a
// comment that fits.
const normaliseNewlines = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v);

const optionalSignature = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .max(MAX_SIGNATURE_LENGTH, `${label} must be ${MAX_SIGNATURE_LENGTH} characters or fewer`)
    .optional()
    .transform((v) => v || null);

const commentBody = (empty: string, label: string) =>
  z.preprocess(
    normaliseNewlines,
    z
      .string({ error: empty })
      .min(1, empty)
      .max(MAX_COMMENT_LENGTH, `${label} must be 5,000 characters or fewer`)
      .refine((text) => countLinks(text) <= MAX_LINKS, `${label} must include no more than ${MAX_LINKS} web links`),
  );

// The public comment form. Honeypot and stamp are checked separately (spam.ts) so a script is
// turned away before it learns anything from validation messages.
export const CommentFormSchema = z.object({
  name: z
    .string({ error: 'Enter your name' })
    .min(1, 'Enter your name')
    .max(MAX_SIGNATURE_LENGTH, `Name must be ${MAX_SIGNATURE_LENGTH} characters or fewer`),
  jobTitle: optionalSignature('Job title'),
  organisation: optionalSignature('Organisation'),
  email: z
    .string({ error: 'Enter your email address' })
    .min(1, 'Enter your email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.com'))
    .transform((e) => e.toLowerCase()),
  comment: commentBody('Enter your comment', 'Comment'),
  notifyReplies: z
    .unknown()
    .optional()
    .transform((v) => v === 'yes' || (Array.isArray(v) && v.includes('yes'))),
  parentId: z
    .string({ error: 'The comment you are replying to is no longer available' })
    .regex(/^(\d{1,9})?$/, 'The comment you are replying to is no longer available')
    .optional()
    .transform((v) => (v ? Number(v) : null)),
});
export type CommentInput = z.infer<typeof CommentFormSchema>;

// The order fields appear on the form, for the error summary.
export const commentFieldOrder = ['name', 'jobTitle', 'organisation', 'email', 'comment', 'parentId'];

export const reportReasons = [
  { value: 'spam', text: 'Spam' },
  { value: 'abusive', text: 'Abusive or offensive' },
  { value: 'personal-information', text: "Shares someone's personal information" },
  { value: 'other', text: 'Something else' },
] as const;
export type ReportReason = (typeof reportReasons)[number]['value'];
const reasonValues = reportReasons.map((r) => r.value) as [ReportReason, ...ReportReason[]];
export const reasonText = (value: string) => reportReasons.find((r) => r.value === value)?.text ?? value;

export const ReportFormSchema = z
  .object({
    reason: z.enum(reasonValues, { error: 'Select why you are reporting this comment' }),
    details: z
      .string({ error: 'Details must be text' })
      .max(1000, 'Details must be 1,000 characters or fewer')
      .optional()
      .transform((v) => v || null),
  })
  .refine((r) => r.reason !== 'other' || !!r.details, {
    path: ['details'],
    message: 'Tell us what is wrong with this comment',
  });
export type ReportInput = z.infer<typeof ReportFormSchema>;

export const StaffReplySchema = z.object({ reply: commentBody('Enter your reply', 'Reply') });

export const queueTabs = ['pending', 'reported', 'approved', 'rejected', 'spam'] as const;
export type QueueTab = (typeof queueTabs)[number];
export const parseTab = (v: unknown): QueueTab => ((queueTabs as readonly unknown[]).includes(v) ? (v as QueueTab) : 'pending');

export const moderationActions = ['approve', 'reject', 'spam'] as const;
export type ModerationAction = (typeof moderationActions)[number];
export const actionToStatus = { approve: 'approved', reject: 'rejected', spam: 'spam' } as const satisfies Record<
  ModerationAction,
  (typeof commentStatuses)[number]
>;

const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    [v ?? []]
      .flat()
      .filter((s) => /^\d{1,9}$/.test(s))
      .map(Number),
  );

export const BulkSchema = z.object({
  action: z.enum(moderationActions, { error: 'Choose an action' }),
  ids,
});

export const BlockFormSchema = z
  .object({
    kind: z.enum(['email', 'ip'], { error: 'Select what to block' }),
    value: z.string({ error: 'Enter the email address or IP address' }).min(1, 'Enter the email address or IP address').max(254),
    reason: z
      .string()
      .max(200, 'Reason must be 200 characters or fewer')
      .optional()
      .transform((v) => v || null),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'email' && !z.email().safeParse(b.value).success) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter an email address in the correct format, like name@example.com' });
    }
    if (b.kind === 'ip' && !z.union([z.ipv4(), z.ipv6()]).safeParse(b.value).success) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter an IP address in the correct format, like 192.0.2.10' });
    }
  });
