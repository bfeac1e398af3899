import { z } from 'zod';
import { emailField } from '#src/lib/fields.ts';
import type { FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { parseId } from '#src/lib/ids.ts';
import { ratings } from './tables.ts';

// What contributors and staff type on the co-assessment forms.

const V = 'assessing.admin.validation';
export const COMMENT_MAX = 2000;

// A contributor's answer: one of the round's ratings, or "I don't know" (kept as a view with no rating).
export const contributorRatings = [...ratings, 'dont-know'] as const;
export type ContributorRating = (typeof contributorRatings)[number];

const asText = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

// The closing date in three boxes: a real date, today or later.
export function readCloseOn(body: Record<string, unknown>, today: string): { ok: true; date: string } | { ok: false; message: string } {
  const day = asText(body['closeOn-day']);
  const month = asText(body['closeOn-month']);
  const year = asText(body['closeOn-year']);
  if (!day && !month && !year) return { ok: false, message: msg(`${V}.closeOn.missing`) };
  if (![day, month, year].every((p) => /^\d{1,4}$/.test(p)) || year.length !== 4) return { ok: false, message: msg(`${V}.closeOn.real`) };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
    return { ok: false, message: msg(`${V}.closeOn.real`) };
  const iso = check.toISOString().slice(0, 10);
  if (iso < today) return { ok: false, message: msg(`${V}.closeOn.past`) };
  return { ok: true, date: iso };
}

// Email addresses typed one a line (or separated by commas or spaces): each must look like one.
const MAX_EMAILS = 200;
function readEmails(text: string): { ok: true; emails: string[] } | { ok: false; message: string } {
  const words = text.split(/[\s,;]+/).filter(Boolean);
  if (words.length > MAX_EMAILS) return { ok: false, message: msg(`${V}.emails.tooMany`, { max: MAX_EMAILS }) };
  const emails: string[] = [];
  for (const w of words) {
    const parsed = emailField.safeParse(w);
    if (!parsed.success) return { ok: false, message: msg(`${V}.emails.invalid`, { email: w.slice(0, 80) }) };
    emails.push(parsed.data);
  }
  return { ok: true, emails: [...new Set(emails)] };
}

export type InviteForm = { groupId: number | null; emails: string[]; closeOn: string };

export function readInviteForm(
  body: Record<string, unknown>,
  today: string,
): { ok: true; value: InviteForm } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const rawGroup = asText(body.groupId);
  const groupId = rawGroup ? parseId(rawGroup) : null;
  if (rawGroup && !groupId) errors.groupId = msg(`${V}.groupId`);
  const emails = readEmails(asText(body.emails));
  if (!emails.ok) errors.emails = emails.message;
  const closeOn = readCloseOn(body, today);
  if (!closeOn.ok) errors.closeOn = closeOn.message;
  if (Object.keys(errors).length || !emails.ok || !closeOn.ok) return { ok: false, errors };
  return { ok: true, value: { groupId, emails: emails.emails, closeOn: closeOn.date } };
}

// The contributor's page: `rating-<standardId>` and `comment-<standardId>` for each standard.
const ViewSchema = z.object({
  rating: z.union([z.literal(''), z.enum(contributorRatings)]).optional(),
  comment: z.string().max(COMMENT_MAX).optional(),
});

export type ReadView = { standardId: number; rating: ContributorRating | null; comment: string | null };

export function readViews(
  body: Record<string, unknown>,
  standardIds: number[],
): { ok: true; value: ReadView[] } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const value: ReadView[] = [];
  for (const id of standardIds) {
    const parsed = ViewSchema.safeParse({ rating: body[`rating-${id}`] ?? '', comment: asText(body[`comment-${id}`]) });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] === 'rating' ? `rating-${id}` : `comment-${id}`;
        errors[field] ??=
          issue.path[0] === 'rating' ? msg('assessing.validation.rating') : msg('assessing.validation.comment', { max: COMMENT_MAX });
      }
      continue;
    }
    const rating = parsed.data.rating || null;
    const comment = parsed.data.comment || null;
    if (rating || comment) value.push({ standardId: id, rating, comment });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value };
}
