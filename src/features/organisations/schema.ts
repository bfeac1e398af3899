import { z } from 'zod';
import { hasControlCharacters, phonePattern } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';

const V = 'organisations.validation';

// The partner-organisation part of the privacy notice (/privacy#partner-organisations). Change it
// whenever that text changes.
export const ORGANISATION_PRIVACY_VERSION = '2026-11-organisations-1';

// Their names (and a hint for some) are in the catalogue: organisations.kinds.<value>.name.
export const organisationKinds = [
  { value: 'user-led', hasHint: true },
  { value: 'charity' },
  { value: 'community' },
  { value: 'social-enterprise' },
  { value: 'other' },
] as const;
type Kind = (typeof organisationKinds)[number]['value'];
const kindValues = organisationKinds.map((k) => k.value) as [Kind, ...Kind[]];
export const kindKey = (value: string) => `organisations.kinds.${value}.name`;

// Angle brackets and control characters are not needed in any of these one-line fields.
// `empty` and `label` are msg() keys.
const line = (empty: string, label: string, max: number) =>
  z
    .string({ error: empty })
    .min(1, empty)
    .max(max, msg('fields.text.tooLong', { label, max }))
    .refine((v) => !/[<>\p{Cc}]/u.test(v), msg('fields.name.characters', { label }));

const email = z
  .string({ error: msg(`${V}.email`) })
  .min(1, msg(`${V}.email`))
  .max(254, msg('fields.email.tooLong'))
  .pipe(z.email(msg('fields.email.format')))
  .transform((e) => e.toLowerCase());

// Only web addresses that start with http:// or https:// and name a host; never javascript: and friends.
export const website = z
  .string({ error: msg(`${V}.websiteNotText`) })
  .max(300, msg(`${V}.websiteTooLong`))
  .optional()
  .refine((v) => !v || isWebAddress(v), msg(`${V}.website`))
  .transform((v) => v || null);

export function isWebAddress(v: string): boolean {
  if (/\s|[<>"]/.test(v) || !/^https?:\/\//i.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.') && !u.username && !u.password;
  } catch {
    return false;
  }
}

// Everything staff may edit: the registration without its consent.
export const OrganisationDetailsSchema = z.object({
  name: line(msg(`${V}.name`), msg(`${V}.labels.name`), 150),
  kind: z.enum(kindValues, { error: msg(`${V}.kind`) }),
  description: z
    .string({ error: msg(`${V}.description`) })
    .min(1, msg(`${V}.description`))
    .max(600, msg(`${V}.descriptionTooLong`))
    .refine((v) => !hasControlCharacters(v) && !/[<>]/.test(v), msg(`${V}.descriptionCharacters`))
    .transform((v) => v.replace(/\r\n?/g, '\n')),
  area: line(msg(`${V}.area`), msg(`${V}.labels.area`), 120),
  website,
  contactName: line(msg(`${V}.contactName`), msg(`${V}.labels.contactName`), 120),
  contactRole: line(msg(`${V}.contactRole`), msg(`${V}.labels.contactRole`), 120),
  contactEmail: email,
  contactPhone: z
    .string({ error: msg(`${V}.phoneNotText`) })
    .max(20, msg(`${V}.phoneTooLong`))
    .optional()
    .refine((v) => !v || phonePattern.test(v), msg(`${V}.phone`))
    .transform((v) => v || null),
});
export type OrganisationDetails = z.infer<typeof OrganisationDetailsSchema>;

export const RegistrationSchema = OrganisationDetailsSchema.extend({
  consent: z.literal('yes', { error: msg(`${V}.consent`) }),
});

export const detailFieldOrder = [
  'name',
  'kind',
  'description',
  'area',
  'website',
  'contactName',
  'contactRole',
  'contactEmail',
  'contactPhone',
];
export const registrationFieldOrder = [...detailFieldOrder, 'consent'];

export const DeclineSchema = z.object({
  reason: z
    .string({ error: msg('organisations.admin.validation.reasonNotText') })
    .max(1000, msg('organisations.admin.validation.reasonTooLong'))
    .optional()
    .refine((v) => !v || !hasControlCharacters(v), msg('organisations.admin.validation.reasonCharacters'))
    .transform((v) => (v ? v.replace(/\r\n?/g, '\n') : null)),
});

// The profile step: ids of approved organisations, or "none".
export const MembershipSchema = z.object({
  organisations: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : [v].flat()),
    z.array(z.string({ error: msg(`${V}.fromList`) }).regex(/^(\d{1,9}|none)$/, msg(`${V}.fromList`))).max(500, msg(`${V}.fromList`)),
  ),
});
