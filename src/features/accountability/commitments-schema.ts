import { z } from 'zod';
import { formText, single } from '#src/lib/fields.ts';
import type { FieldErrors, Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { rollupKinds, statusCategories } from './tables.ts';

// The staff forms of commitments: the commitment itself, its status and progress, a milestone,
// an update, and a status as admins define it. Every field is checked so all mistakes show at
// once; the rules that need the database (a parent's descendants, a status's reason) are the
// service's.
const V = 'commitmentsStaff.admin.validation';
const L = 'commitmentsStaff.admin.form';

export const idOf = (raw: string) => (/^\d{1,9}$/.test(raw) ? Number(raw) : null);

const { required, optional } = formText(V, (field) => `${L}.${field}.name`);
const checkbox = z.preprocess(
  (v: unknown) => (Array.isArray(v) ? (v.at(-1) as unknown) : v),
  z.unknown().transform((v) => v === 'yes' || v === 'on'),
);

// A whole number from 0 to 100, or null when the box is empty.
export const progressField = (message: string) =>
  z.preprocess(
    single,
    z
      .string({ error: msg(message) })
      .optional()
      .transform((v, c) => {
        if (!v) return null;
        if (!/^\d{1,3}$/.test(v) || Number(v) > 100) {
          c.addIssue({ code: 'custom', message: msg(message) });
          return z.NEVER;
        }
        return Number(v);
      }),
  );
const idField = z.preprocess(
  single,
  z
    .string()
    .optional()
    .transform((v) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null)),
);

const statusIdField = z.preprocess(
  single,
  z
    .string({ error: msg(`${V}.statusId`) })
    .regex(/^\d{1,9}$/, msg(`${V}.statusId`))
    .transform(Number),
);

// A date in three boxes (`<name>-day`, `-month`, `-year`), optional: null when all are empty.
export function readDateBoxes(body: Record<string, unknown>, name: string): { ok: true; date: string | null } | { ok: false } {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const [day, month, year] = ['day', 'month', 'year'].map((p) => text(body[`${name}-${p}`]));
  if (!day && !month && !year) return { ok: true, date: null };
  if (![day, month, year].every((p) => /^\d{1,4}$/.test(p!)) || year!.length !== 4) return { ok: false };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d || y < 2000 || y > 2100)
    return { ok: false };
  return { ok: true, date: check.toISOString().slice(0, 10) };
}

export function dateBoxes(name: string, iso: string | null | undefined): Record<string, string> {
  if (!iso) return {};
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! };
}

export const commitmentFieldOrder = [
  'title',
  'promise',
  'why',
  'responsibleRole',
  'responsibleUserId',
  'sourceTitle',
  'sourceUrl',
  'startsOn',
  'dueOn',
  'statusId',
  'progress',
  'statusReason',
  'tags',
  'parentId',
  'rollup',
  'weight',
];

const CommitmentSchema = z.object({
  title: required('title', 200),
  promise: required('promise', 20_000),
  why: optional('why', 20_000),
  responsibleRole: optional('responsibleRole', 200),
  responsibleUserId: z.preprocess(
    single,
    z
      .string()
      .max(100)
      .optional()
      .transform((v) => v || null),
  ),
  sourceTitle: optional('sourceTitle', 200),
  sourceUrl: z.preprocess(
    single,
    z
      .string({ error: msg(`${V}.sourceUrl`) })
      .max(500, msg(`${V}.sourceUrl`))
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || /^(https?:\/\/[^\s<>"]+|\/[^\s<>"]*)$/.test(v), msg(`${V}.sourceUrl`)),
  ),
  statusId: statusIdField,
  progress: progressField(`${V}.progress`),
  statusReason: optional('statusReason', 2000),
  tags: z.preprocess(
    single,
    z
      .string({ error: msg(`${V}.tags`) })
      .max(500, msg(`${V}.tags`))
      .optional()
      .transform((v) => [
        ...new Set(
          (v ?? '')
            .split(',')
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean),
        ),
      ])
      .refine((tags) => tags.length <= 10 && tags.every((t) => t.length <= 40 && /^[\p{L}\p{N} '-]+$/u.test(t)), msg(`${V}.tags`)),
  ),
  parentId: idField,
  rollup: z.preprocess((v) => single(v) || 'average', z.enum(rollupKinds, { error: msg(`${V}.rollup`) })),
  weight: z.preprocess(
    (v) => single(v) || '1',
    z
      .string()
      .regex(/^\d{1,3}$/, msg(`${V}.weight`))
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, msg(`${V}.weight`)),
  ),
  commentsOpen: checkbox,
});

export type CommitmentForm = z.output<typeof CommitmentSchema> & { startsOn: string | null; dueOn: string | null };

export function readCommitmentForm(body: Record<string, unknown>): Result<CommitmentForm> {
  const parsed = CommitmentSchema.safeParse(body);
  const errors: FieldErrors = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  const starts = readDateBoxes(body, 'startsOn');
  const due = readDateBoxes(body, 'dueOn');
  if (!starts.ok) errors.startsOn = msg(`${V}.date`);
  if (!due.ok) errors.dueOn = msg(`${V}.date`);
  if (starts.ok && due.ok && starts.date && due.date && due.date < starts.date) errors.dueOn = msg(`${V}.dueBeforeStart`);
  if (!parsed.success || !starts.ok || !due.ok || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { ...parsed.data, startsOn: starts.date, dueOn: due.date } };
}

// Changing the status and progress, with a reason (required when the status requires one).
export const StatusChangeSchema = z.object({
  statusId: statusIdField,
  progress: progressField(`${V}.progress`),
  reason: optional('reason', 2000),
  notify: checkbox,
});
export type StatusChange = z.output<typeof StatusChangeSchema>;

export const MilestoneSchema = z.object({
  title: required('milestoneTitle', 200),
  title_cy: optional('milestoneTitle', 200),
});

export const UpdateSchema = z.object({
  title: required('updateTitle', 200),
  body: required('updateBody', 20_000),
  title_cy: optional('updateTitle', 200),
  body_cy: optional('updateBody', 20_000),
});

export const StatusSchema = z.object({
  name: required('statusName', 60),
  name_cy: optional('statusName', 60),
  category: z.preprocess(single, z.enum(statusCategories, { error: msg(`${V}.category`) })),
  defaultProgress: progressField(`${V}.defaultProgress`),
  requiresReason: checkbox,
  position: z.preprocess(
    (v) => single(v) || '0',
    z
      .string()
      .regex(/^\d{1,3}$/, msg(`${V}.position`))
      .transform(Number),
  ),
});
export type StatusForm = z.output<typeof StatusSchema>;
