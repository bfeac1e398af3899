import { z } from 'zod';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { emailField, hasControlCharacters } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';
import { readDay } from '#src/features/opportunities/dates.ts';
import { groupKinds, groupVisibilities, memberRoles } from './tables.ts';

// The forms staff and members fill in about groups: the group itself, adding and inviting
// people, roles, announcements and a member's own choices.
const V = 'groups.validation';

const text = (field: string, max: number, required = true) => {
  const base = z
    .string({ error: msg(`${V}.${field}.missing`) })
    .max(max, msg(`${V}.${field}.tooLong`, { max }))
    .refine((v) => !hasControlCharacters(v), msg(`${V}.${field}.characters`));
  return required ? base.min(1, msg(`${V}.${field}.missing`)) : base.optional().transform((v) => v ?? '');
};
const slugField = z
  .string()
  .optional()
  .transform((v) => (v ?? '').toLowerCase())
  .refine((v) => v === '' || /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v), msg(`${V}.slug.format`))
  .refine((v) => v.length <= 80, msg(`${V}.slug.format`));

export const groupFieldOrder = [
  'kind',
  'name',
  'slug',
  'purpose',
  'visibility',
  'startsOn',
  'endsOn',
  'leadUserId',
  'name_cy',
  'purpose_cy',
];

const GroupSchema = z.object({
  kind: z.enum(groupKinds, { error: msg(`${V}.kind.missing`) }),
  name: text('name', 120),
  slug: slugField,
  purpose: text('purpose', 20_000),
  visibility: z.enum(groupVisibilities, { error: msg(`${V}.visibility.missing`) }),
  leadUserId: z
    .string()
    .optional()
    .transform((v) => v || null),
  name_cy: text('name', 120, false),
  purpose_cy: text('purpose', 20_000, false),
});

export type GroupFields = z.infer<typeof GroupSchema> & { startsOn: string | null; endsOn: string | null };

// The group form: dates in three boxes each, the end never before the start. Internal working
// groups are always private.
export function readGroupForm(body: Record<string, unknown>): Result<GroupFields> {
  const v = validateForm(GroupSchema, body);
  const errors: FieldErrors = v.ok ? {} : { ...v.errors };
  const startsOn = readDay(body, 'startsOn', `${V}.date`);
  const endsOn = readDay(body, 'endsOn', `${V}.date`);
  if (!startsOn.ok) errors.startsOn = startsOn.message;
  if (!endsOn.ok) errors.endsOn = endsOn.message;
  if (startsOn.ok && endsOn.ok && startsOn.date && endsOn.date && endsOn.date < startsOn.date) errors.endsOn = msg(`${V}.endBeforeStart`);
  if (!v.ok || Object.keys(errors).length) return invalid(errors);
  const visibility = v.value.kind === 'internal-working' ? 'private' : v.value.visibility;
  return ok({ ...v.value, visibility, startsOn: startsOn.ok ? startsOn.date : null, endsOn: endsOn.ok ? endsOn.date : null });
}

const roleField = z.enum(memberRoles, { error: msg(`${V}.role.missing`) });

// Ticked people from a register search (ids), with the role they join with.
export const AddMembersSchema = z.object({
  userIds: z
    .union([z.string(), z.array(z.string())], { error: msg(`${V}.userIds.missing`) })
    .transform((v) => [...new Set([v].flat().filter(Boolean))])
    .refine((v) => v.length > 0 && v.length <= 200, msg(`${V}.userIds.missing`)),
  role: roleField,
});

export const ImportSchema = z.object({
  opportunityId: z.coerce
    .number({ error: msg(`${V}.opportunityId.missing`) })
    .int(msg(`${V}.opportunityId.missing`))
    .positive(msg(`${V}.opportunityId.missing`))
    .max(2_147_483_647, msg(`${V}.opportunityId.missing`)),
});

export const InviteSchema = z.object({ email: emailField, role: roleField });
export const RoleSchema = z.object({ role: roleField });

export const AnnouncementSchema = z.object({ title: text('title', 200), body: text('body', 20_000) });

const yes = z
  .unknown()
  .optional()
  .transform((v) => v === 'yes');
export const MembershipChoicesSchema = z.object({ showOnPublicPage: yes, shareEmailWithMembers: yes });

export const SearchSchema = z.object({
  q: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v.trim().slice(0, 200) : '')),
});
