import { z } from 'zod';
import { hasControlCharacters, phonePattern } from '#src/lib/fields.ts';

// The partner-organisation part of the privacy notice (/privacy#partner-organisations). Change it
// whenever that text changes.
export const ORGANISATION_PRIVACY_VERSION = '2026-11-organisations-1';

export const organisationKinds = [
  { value: 'user-led', text: 'User-led group', hint: 'Run by and for people with lived experience' },
  { value: 'charity', text: 'Charity' },
  { value: 'community', text: 'Community group' },
  { value: 'social-enterprise', text: 'Social enterprise' },
  { value: 'other', text: 'Other' },
] as const;
type Kind = (typeof organisationKinds)[number]['value'];
const kindValues = organisationKinds.map((k) => k.value) as [Kind, ...Kind[]];
export const kindText = (value: string) => organisationKinds.find((k) => k.value === value)?.text ?? value;

// Angle brackets and control characters are not needed in any of these one-line fields.
const line = (empty: string, label: string, max: number) =>
  z
    .string({ error: empty })
    .min(1, empty)
    .max(max, `${label} must be ${max} characters or fewer`)
    .refine((v) => !/[<>\p{Cc}]/u.test(v), `${label} must not include < > or control characters`);

const email = z
  .string({ error: 'Enter an email address' })
  .min(1, 'Enter an email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email('Enter an email address in the correct format, like name@example.com'))
  .transform((e) => e.toLowerCase());

// Only web addresses that start with http:// or https:// and name a host; never javascript: and friends.
export const website = z
  .string({ error: 'Website must be a web address' })
  .max(300, 'Website must be 300 characters or fewer')
  .optional()
  .refine((v) => !v || isWebAddress(v), 'Enter a website address that starts with https:// or http://, like https://www.example.org')
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
  name: line('Enter the name of your organisation', 'Organisation name', 150),
  kind: z.enum(kindValues, { error: 'Select the kind of organisation' }),
  description: z
    .string({ error: 'Enter what your organisation does' })
    .min(1, 'Enter what your organisation does')
    .max(600, 'What your organisation does must be 600 characters or fewer')
    .refine((v) => !hasControlCharacters(v) && !/[<>]/.test(v), 'What your organisation does must not include < > or control characters')
    .transform((v) => v.replace(/\r\n?/g, '\n')),
  area: line('Enter the area your organisation works in', 'Area', 120),
  website,
  contactName: line('Enter the name of the contact', 'Contact name', 120),
  contactRole: line('Enter the contact’s role in the organisation', 'Role', 120),
  contactEmail: email,
  contactPhone: z
    .string({ error: 'Phone number must be text' })
    .max(20, 'Phone number must be 20 characters or fewer')
    .optional()
    .refine((v) => !v || phonePattern.test(v), 'Enter a phone number, like 01632 960 001 or 07700 900 982')
    .transform((v) => v || null),
});
export type OrganisationDetails = z.infer<typeof OrganisationDetailsSchema>;

export const RegistrationSchema = OrganisationDetailsSchema.extend({
  consent: z.literal('yes', { error: 'Confirm that you agree to us keeping the contact’s details as the privacy notice explains' }),
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
    .string({ error: 'Reason must be text' })
    .max(1000, 'Reason must be 1,000 characters or fewer')
    .optional()
    .refine((v) => !v || !hasControlCharacters(v), 'Reason must not include control characters')
    .transform((v) => (v ? v.replace(/\r\n?/g, '\n') : null)),
});

// The profile step: ids of approved organisations, or "none".
export const MembershipSchema = z.object({
  organisations: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : [v].flat()),
    z
      .array(z.string({ error: 'Select organisations from the list' }).regex(/^(\d{1,9}|none)$/, 'Select organisations from the list'))
      .max(500, 'Select organisations from the list'),
  ),
});
