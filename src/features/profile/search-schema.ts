import { z } from 'zod';
import { lenient } from '#src/lib/forms.ts';
import { interestOptions, paymentOptions, regionOptions, timeOptions, wayOptions } from './schema.ts';

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

// Shared with other searches (src/lib/search-words.ts).
export { prefixTsquery, searchWords } from '#src/lib/search-words.ts';

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
