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
import { msg } from '#src/lib/messages.ts';
import { contactMethods } from './tables.ts';

// What staff do with the register: export columns, notes, and readable words for stored answers.
// Columns staff may choose for a CSV export. Name is always included. Equality and diversity
// monitoring answers are never a column: they are only ever reported in aggregate.
export const exportColumns = [
  { value: 'preferredName', text: 'people.admin.fields.preferredName' },
  { value: 'email', text: 'people.admin.fields.email', hint: 'people.admin.export.emailHint' },
  { value: 'phone', text: 'people.admin.fields.phone' },
  { value: 'postalAddress', text: 'people.admin.fields.postalAddress' },
  { value: 'contactMethods', text: 'people.admin.fields.contactMethods' },
  { value: 'formats', text: 'people.admin.fields.formatsLong' },
  { value: 'interpreterLanguage', text: 'people.admin.fields.interpreterLanguage' },
  { value: 'region', text: 'people.admin.fields.region' },
  { value: 'interests', text: 'people.admin.fields.interests' },
  { value: 'availableTimes', text: 'people.admin.fields.availableTimes' },
  { value: 'availableWays', text: 'people.admin.fields.availableWays' },
  { value: 'livedExperience', text: 'people.admin.fields.livedExperienceTerms' },
  { value: 'livedExperienceNotes', text: 'people.admin.fields.livedExperienceNotes' },
  { value: 'accessNeeds', text: 'people.admin.fields.accessNeeds' },
  { value: 'accessNeedsNotes', text: 'people.admin.fields.accessNeedsNotes' },
  { value: 'paymentPreference', text: 'people.admin.fields.paymentPreference' },
  { value: 'publicSectorEmployee', text: 'people.admin.fields.publicSectorEmployee' },
  { value: 'lastInvolved', text: 'people.admin.fields.lastInvolved' },
  { value: 'joined', text: 'people.admin.fields.joined' },
  { value: 'source', text: 'people.admin.fields.source' },
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
    .string({ error: msg('people.admin.person.addNote.missing') })
    .min(1, msg('people.admin.person.addNote.missing'))
    .max(5000, msg('people.admin.person.addNote.tooLong', { max: 5000 }))
    .refine((v) => !hasControlCharacters(v), msg('people.admin.person.addNote.controlCharacters'))
    .transform((v) => v.replace(/\r\n?/g, '\n')),
});

// That staff contacted a person: how (the date is read from the date input by the service), and a
// short note about it, which the person sees in "Download my data".
export const ContactSchema = z.object({
  method: z.enum(contactMethods, { error: msg('people-records.admin.contact.method.missing') }),
  note: z
    .string({ error: msg('people-records.admin.contact.note.tooLong', { max: 500 }) })
    .max(500, msg('people-records.admin.contact.note.tooLong', { max: 500 }))
    .refine((v) => !hasControlCharacters(v), msg('people-records.admin.contact.note.controlCharacters'))
    .optional()
    .transform((v) => (v ? v.replace(/\r\n?/g, '\n') : null)),
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
