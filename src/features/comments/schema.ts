import { z } from 'zod';
import { countLinks } from '#src/lib/text.ts';
import { commentStatuses } from './tables.ts';
import { msg } from '#src/lib/messages.ts';
import { emailField } from '#src/lib/fields.ts';
import { lenient } from '#src/lib/forms.ts';
import { languages, type Lang } from '#src/lib/i18n.ts';

const languageCodes = languages.map((l) => l.code) as [Lang, ...Lang[]];

export const MAX_COMMENT_LENGTH = 5000;
export const MAX_SIGNATURE_LENGTH = 120;
export const MAX_LINKS = 3;

// Browsers send textarea line breaks as CRLF; counting those twice would wrongly refuse a
// comment that fits.
const normaliseNewlines = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v);

// `field` names the field's messages in the catalogue (comments.errors.<field>.…).
const optionalSignature = (field: string) =>
  z
    .string({ error: msg(`comments.errors.${field}.notText`) })
    .max(MAX_SIGNATURE_LENGTH, msg(`comments.errors.${field}.tooLong`, { max: MAX_SIGNATURE_LENGTH }))
    .optional()
    .transform((v) => v || null);

// `messages` is the catalogue's group for the field: its .missing, .tooLong and .links.
const commentBody = (messages: string) =>
  z.preprocess(
    normaliseNewlines,
    z
      .string({ error: msg(`${messages}.missing`) })
      .min(1, msg(`${messages}.missing`))
      .max(MAX_COMMENT_LENGTH, msg(`${messages}.tooLong`))
      .refine((text) => countLinks(text) <= MAX_LINKS, msg(`${messages}.links`, { max: MAX_LINKS })),
  );

// The public comment form. Honeypot and stamp are checked separately (spam.ts) so a script is
// turned away before it learns anything from validation messages.
export const CommentFormSchema = z.object({
  name: z
    .string({ error: msg('comments.errors.name.missing') })
    .min(1, msg('comments.errors.name.missing'))
    .max(MAX_SIGNATURE_LENGTH, msg('comments.errors.name.tooLong', { max: MAX_SIGNATURE_LENGTH })),
  jobTitle: optionalSignature('jobTitle'),
  organisation: optionalSignature('organisation'),
  email: emailField,
  comment: commentBody('comments.form.body'),
  notifyReplies: z
    .unknown()
    .optional()
    .transform((v) => v === 'yes' || (Array.isArray(v) && v.includes('yes'))),
  parentId: z
    .string({ error: msg('comments.errors.parentGone') })
    .regex(/^(\d{1,9})?$/, msg('comments.errors.parentGone'))
    .optional()
    .transform((v) => (v ? Number(v) : null)),
});
export type CommentInput = z.infer<typeof CommentFormSchema>;

// The order fields appear on the form, for the error summary.
export const commentFieldOrder = ['name', 'jobTitle', 'organisation', 'email', 'comment', 'parentId'];

export const reportReasons = [
  { value: 'spam', key: 'comments.report.reasons.spam' },
  { value: 'abusive', key: 'comments.report.reasons.abusive' },
  { value: 'personal-information', key: 'comments.report.reasons.personal-information' },
  { value: 'other', key: 'comments.report.reasons.other' },
] as const;
export type ReportReason = (typeof reportReasons)[number]['value'];
const reasonValues = reportReasons.map((r) => r.value) as [ReportReason, ...ReportReason[]];
// A reason as a message (shown in the reader's language), or the stored value if it is unknown.
export const reasonText = (value: string) => {
  const reason = reportReasons.find((r) => r.value === value);
  return reason ? msg(reason.key) : value;
};

export const ReportFormSchema = z
  .object({
    reason: z.enum(reasonValues, { error: msg('comments.errors.reason.missing') }),
    details: z
      .string({ error: msg('comments.errors.details.notText') })
      .max(1000, msg('comments.errors.details.tooLong'))
      .optional()
      .transform((v) => v || null),
  })
  .refine((r) => r.reason !== 'other' || !!r.details, {
    path: ['details'],
    message: msg('comments.errors.details.missing'),
  });
export type ReportInput = z.infer<typeof ReportFormSchema>;

export const StaffReplySchema = z.object({
  reply: commentBody('comments.admin.reply'),
  // The language the reply is written in (its text is marked so); the form suggests the comment's.
  language: z.enum(languageCodes).optional(),
});

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
  action: z.enum(moderationActions, { error: msg('comments.admin.bulk.action') }),
  ids,
});

export const BlockFormSchema = z
  .object({
    kind: z.enum(['email', 'ip'], { error: msg('comments.admin.blocked.errors.kind') }),
    value: z
      .string({ error: msg('comments.admin.blocked.errors.value') })
      .min(1, msg('comments.admin.blocked.errors.value'))
      .max(254),
    reason: z
      .string()
      .max(200, msg('comments.admin.blocked.errors.reasonTooLong'))
      .optional()
      .transform((v) => v || null),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'email' && !z.email().safeParse(b.value).success) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: msg('fields.email.format') });
    }
    if (b.kind === 'ip' && !z.union([z.ipv4(), z.ipv6()]).safeParse(b.value).success) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: msg('comments.admin.blocked.errors.ip') });
    }
  });

// The moderation lists' address: tab, page, search words, one page's comments ("story-12") and
// "select all on this page". Read leniently: a bookmark with an odd value still opens the list.
export const QueueQuerySchema = z.object({
  status: lenient(parseTab),
  page: lenient((v) => (typeof v === 'string' && /^\d{1,5}$/.test(v) && Number(v) >= 1 ? Number(v) : 1)),
  q: lenient((v) => (typeof v === 'string' ? v.trim().slice(0, 200) : '')),
  on: lenient((v) => {
    const m = typeof v === 'string' ? /^([a-z]{1,30})-(\d{1,9})$/.exec(v) : null;
    return m ? { type: m[1]!, id: Number(m[2]) } : undefined;
  }),
  select: lenient((v) => v === 'all'),
});
export type QueueQuery = z.infer<typeof QueueQuerySchema>;
export const parseQueueQuery = (raw: unknown): QueueQuery => QueueQuerySchema.parse(raw && typeof raw === 'object' ? raw : {});

// The address of a list with its filters (and any extra parameters, such as the outcome of an
// action), leaving out what is empty.
export function queueHref(
  q: { status: QueueTab; q?: string; on?: { type: string; id: number }; page?: number },
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams({ status: q.status });
  if (q.q) params.set('q', q.q);
  if (q.on) params.set('on', `${q.on.type}-${q.on.id}`);
  if (q.page && q.page > 1) params.set('page', String(q.page));
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return `/admin/comments?${params.toString()}`;
}
