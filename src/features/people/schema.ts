import { z } from 'zod';
import {
  accessNeedOptions,
  contactMethodOptions,
  formatOptions,
  interestOptions,
  paymentOptions,
  publicSectorOptions,
  timeOptions,
  wayOptions,
} from '#src/features/profile/schema.ts';
import { sourceOptions } from '#src/features/profile/search-schema.ts';
import { lenient } from '#src/lib/forms.ts';
import { hasControlCharacters } from '#src/lib/fields.ts';

// What staff do with the register: export columns, notes, and readable words for stored answers.
// Columns staff may choose for a CSV export. Name is always included. Equality and diversity
// monitoring answers are never a column: they are only ever reported in aggregate.
export const exportColumns = [
  { value: 'preferredName', text: 'Preferred name' },
  { value: 'email', text: 'Email address', hint: 'Contact details: choose them only when you need to contact people' },
  { value: 'phone', text: 'Phone number' },
  { value: 'postalAddress', text: 'Postal address' },
  { value: 'contactMethods', text: 'How they like to be contacted' },
  { value: 'formats', text: 'Formats (large print, easy read, BSL, interpreter)' },
  { value: 'interpreterLanguage', text: 'Interpreter language' },
  { value: 'region', text: 'Where they live' },
  { value: 'interests', text: 'Interests' },
  { value: 'availableTimes', text: 'When they are available' },
  { value: 'availableWays', text: 'How they can take part' },
  { value: 'livedExperience', text: 'Lived experience (chosen terms)' },
  { value: 'livedExperienceNotes', text: 'Lived experience in their own words' },
  { value: 'accessNeeds', text: 'Access needs' },
  { value: 'accessNeedsNotes', text: 'Other access needs' },
  { value: 'paymentPreference', text: 'Payment preference' },
  { value: 'publicSectorEmployee', text: 'Works in the public sector' },
  { value: 'lastInvolved', text: 'Last involved' },
  { value: 'joined', text: 'Joined' },
  { value: 'source', text: 'How they joined the register' },
] as const;
export type ExportColumn = (typeof exportColumns)[number]['value'];

export const ExportSchema = z.object({
  // Only columns we offer, in the order the form shows them.
  columns: lenient((v) => {
    const chosen = new Set([v ?? []].flat().filter((x): x is string => typeof x === 'string'));
    return exportColumns.map((c): ExportColumn => c.value).filter((c) => chosen.has(c));
  }),
});

export const NoteSchema = z.object({
  body: z
    .string({ error: 'Enter a note' })
    .min(1, 'Enter a note')
    .max(5000, 'Note must be 5,000 characters or fewer')
    .refine((v) => !hasControlCharacters(v), 'Note must not include control characters')
    .transform((v) => v.replace(/\r\n?/g, '\n')),
});

// Readable text for stored option values (unknown values, e.g. from an import, stay as they are).
export const optionText = {
  contactMethods: contactMethodOptions,
  formats: formatOptions,
  interests: interestOptions,
  availableTimes: timeOptions,
  availableWays: wayOptions,
  accessNeeds: accessNeedOptions,
  paymentPreference: paymentOptions,
  publicSectorEmployee: publicSectorOptions,
  source: sourceOptions,
} as const;
export const textFor = (opts: readonly { value: string; text: string }[], value: string | null | undefined) =>
  value ? (opts.find((o) => o.value === value)?.text ?? value) : null;
