import { z } from 'zod';
import {
  accessNeedOptions,
  contactMethodOptions,
  formatOptions,
  hasControlCharacters,
  interestOptions,
  paymentOptions,
  publicSectorOptions,
  regionOptions,
  timeOptions,
  wayOptions,
} from './schema.ts';

// The staff search of the register (/admin/people). Query strings are shared and bookmarked, so
// they are read leniently: a value we do not know is dropped, never an error and never a 500.

export const lastInvolvedOptions = [
  { value: 'never', text: 'Never' },
  { value: 'within-6-months', text: 'In the last 6 months' },
  { value: 'within-a-year', text: 'In the last year' },
  { value: 'over-a-year', text: 'More than a year ago' },
] as const;
export const sourceOptions = [
  { value: 'joined', text: 'Joined online' },
  { value: 'imported', text: 'Imported from an earlier register' },
] as const;
export const accessNeedsPresentOptions = [
  { value: 'yes', text: 'Has access needs' },
  { value: 'no', text: 'No access needs recorded' },
] as const;
export const sortOptions = [
  { value: 'relevance', text: 'Best match (when searching)' },
  { value: 'name', text: 'Name (A to Z)' },
  { value: 'joined', text: 'Recently joined' },
  { value: 'last-involved', text: 'Recently involved' },
] as const;

const valuesOf = (opts: readonly { value: string }[]) => opts.map((o) => o.value);
const MAX_QUERY = 200;
const MAX_WORDS = 8;

// A field that may be missing and is never an error: the function decides what it means.
const lenient = <T>(fn: (v: unknown) => T) => z.unknown().optional().transform(fn);
// Checkboxes arrive as a string, an array or nothing; keep only values we offer, once each.
const known = (allowed: readonly string[]) =>
  lenient((v) => [...new Set([v ?? []].flat().filter((x): x is string => typeof x === 'string' && allowed.includes(x)))]);
const oneOf = <T extends string>(allowed: readonly T[]) =>
  lenient((v) => (typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : undefined));

export const PeopleQuerySchema = z.object({
  q: lenient((v) => (typeof v === 'string' ? v.trim().slice(0, MAX_QUERY) : '')),
  terms: lenient((v) =>
    [
      ...new Set(
        [v ?? []]
          .flat()
          .filter((x): x is string => typeof x === 'string' && /^\d{1,9}$/.test(x))
          .map(Number),
      ),
    ].slice(0, 200),
  ),
  interests: known(valuesOf(interestOptions)),
  region: oneOf(regionOptions),
  times: known(valuesOf(timeOptions)),
  ways: known(valuesOf(wayOptions)),
  accessNeeds: oneOf(['yes', 'no'] as const),
  payment: known(valuesOf(paymentOptions)),
  lastInvolved: oneOf(valuesOf(lastInvolvedOptions) as ('never' | 'within-6-months' | 'within-a-year' | 'over-a-year')[]),
  source: oneOf(['joined', 'imported'] as const),
  sort: oneOf(valuesOf(sortOptions) as ('relevance' | 'name' | 'joined' | 'last-involved')[]),
  page: lenient((v) => (typeof v === 'string' && /^\d{1,5}$/.test(v) && Number(v) >= 1 ? Number(v) : 1)),
});
export type PeopleQuery = z.infer<typeof PeopleQuerySchema>;

export const parsePeopleQuery = (raw: unknown): PeopleQuery => PeopleQuerySchema.parse(raw && typeof raw === 'object' ? raw : {});

// Search words as the database indexed them: letters and digits only (the 'simple' parser splits on
// everything else), lower case, at most a few. Nothing the person typed reaches to_tsquery.
export function searchWords(q: string): string[] {
  const words = q.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, 60)))].slice(0, MAX_WORDS);
}

// "ali smi" → "ali:* & smi:*": every word must match the start of some indexed word.
export function prefixTsquery(words: string[]): string | null {
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

// The query string for a search, without the page (or with another page).
export function peopleQueryString(q: PeopleQuery, overrides: { page?: number; sort?: string } = {}): string {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  for (const t of q.terms) p.append('terms', String(t));
  for (const i of q.interests) p.append('interests', i);
  if (q.region) p.set('region', q.region);
  for (const t of q.times) p.append('times', t);
  for (const w of q.ways) p.append('ways', w);
  if (q.accessNeeds) p.set('accessNeeds', q.accessNeeds);
  for (const pay of q.payment) p.append('payment', pay);
  if (q.lastInvolved) p.set('lastInvolved', q.lastInvolved);
  if (q.source) p.set('source', q.source);
  const sort = overrides.sort ?? q.sort;
  if (sort) p.set('sort', sort);
  const page = overrides.page ?? q.page;
  if (page > 1) p.set('page', String(page));
  return p.toString();
}

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
