import { z } from 'zod';
import { parseImportDate } from '#src/platform/jobs/import-rows.ts';
import type { FieldErrors } from '#src/lib/forms.ts';
import { interestOptions, paymentOptions, regionOptions } from '#src/features/profile/schema.ts';
import { phonePattern } from '#src/lib/fields.ts';

// What a column of an existing register can hold, in the order the mapping page offers them.
// `guesses` are header names (lower case, words only) that are taken to mean the field.
export const importFields = [
  {
    key: 'fullName',
    text: 'Full name',
    required: true,
    guesses: ['full name', 'name', 'fullname', 'contributor name', 'participant name', 'person'],
  },
  {
    key: 'email',
    text: 'Email address',
    required: true,
    guesses: ['email', 'email address', 'e mail', 'e mail address', 'emailaddress', 'mail'],
  },
  { key: 'preferredName', text: 'Preferred name', required: false, guesses: ['preferred name', 'known as', 'nickname', 'preferred'] },
  {
    key: 'phone',
    text: 'Phone number',
    required: false,
    guesses: ['phone', 'phone number', 'telephone', 'telephone number', 'tel', 'mobile', 'mobile number'],
  },
  { key: 'postalAddress', text: 'Postal address', required: false, guesses: ['postal address', 'address', 'home address', 'postal'] },
  { key: 'region', text: 'Region', required: false, guesses: ['region', 'area', 'where they live'] },
  {
    key: 'interests',
    text: 'Interests (kinds of involvement)',
    required: false,
    guesses: ['interests', 'interest', 'involvement interests', 'interested in', 'kinds of involvement'],
  },
  {
    key: 'livedExperience',
    text: 'Lived experience (terms from our list)',
    required: false,
    guesses: ['lived experience', 'experience', 'conditions', 'lived experiences'],
  },
  {
    key: 'accessNeedsNotes',
    text: 'Access needs notes',
    required: false,
    guesses: ['access needs', 'access', 'adjustments', 'reasonable adjustments', 'access requirements'],
  },
  {
    key: 'paymentPreference',
    text: 'Payment preference',
    required: false,
    guesses: ['payment preference', 'payment', 'payments', 'paid', 'fees'],
  },
  {
    key: 'lastInvolvedAt',
    text: 'Last involved date',
    required: false,
    guesses: ['last involved', 'last involved date', 'last involvement', 'last activity', 'last took part'],
  },
  {
    key: 'consentDate',
    text: 'Consent date',
    required: true,
    guesses: ['consent date', 'consented', 'consented at', 'consented on', 'date of consent', 'consent given', 'date consented'],
  },
  {
    key: 'consentSource',
    text: 'How consent was given',
    required: true,
    guesses: ['consent source', 'how consent was given', 'consent method', 'consent how', 'source', 'consent', 'how consented'],
  },
] as const;
export type ImportFieldKey = (typeof importFields)[number]['key'];
export const IGNORE = 'ignore';
export type ColumnChoice = ImportFieldKey | typeof IGNORE;
const fieldKeys = new Set<string>(importFields.map((f) => f.key));
const fieldText = (key: string) => importFields.find((f) => f.key === key)?.text ?? key;

const words = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

// A first guess at what each column holds: exact header names first, then headers that contain a
// field's name ("Email (home)"); a field is only ever guessed for one column.
export function guessMapping(header: string[]): ColumnChoice[] {
  const out: ColumnChoice[] = header.map(() => IGNORE);
  const taken = new Set<string>();
  const normalised = header.map(words);
  const pass = (matches: (h: string, guess: string) => boolean) => {
    normalised.forEach((h, i) => {
      if (out[i] !== IGNORE || !h) return;
      const field = importFields.find((f) => !taken.has(f.key) && f.guesses.some((g) => matches(h, g)));
      if (field) {
        out[i] = field.key;
        taken.add(field.key);
      }
    });
  };
  pass((h, g) => h === g);
  pass((h, g) => g.length > 3 && ` ${h} `.includes(` ${g} `));
  return out;
}

// A saved mapping in the shape the mapping form posts.
export const mappingForm = (mapping: string[]) => Object.fromEntries(mapping.map((c, i) => [`column-${i}`, c]));

// The mapping form: one choice per column, each field at most once, the required ones present.
export function checkMapping(
  header: string[],
  form: Record<string, unknown>,
): { ok: true; value: ColumnChoice[] } | { ok: false; errors: FieldErrors; chosen: string[] } {
  const errors: FieldErrors = {};
  const chosen = header.map((_, i) => (typeof form[`column-${i}`] === 'string' ? (form[`column-${i}`] as string) : ''));
  const usedBy = new Map<string, number>();
  chosen.forEach((c, i) => {
    if (c !== IGNORE && !fieldKeys.has(c)) errors[`column-${i}`] = `Select what the column “${header[i]}” holds`;
    else if (c !== IGNORE && usedBy.has(c))
      errors[`column-${i}`] = `${fieldText(c)} is already chosen for the column “${header[usedBy.get(c)!]}”. Choose it for one column only`;
    else if (c !== IGNORE) usedBy.set(c, i);
  });
  for (const f of importFields) {
    if (f.required && !usedBy.has(f.key))
      errors[`field-${f.key}`] = `Choose the column that holds ${f.text.toLowerCase()}: we cannot import people without it`;
  }
  if (Object.keys(errors).length) return { ok: false, errors, chosen };
  return { ok: true, value: chosen as ColumnChoice[] };
}

export type Term = { id: number; label: string };
export type CheckContext = { now: Date; termsByLabel: Map<string, Term[]> };
export type ImportedPerson = {
  email: string;
  fullName: string;
  preferredName: string | null;
  phone: string | null;
  postalAddress: string | null;
  region: string | null;
  interests: string[];
  termIds: number[];
  accessNeedsNotes: string | null;
  paymentPreference: string | null;
  lastInvolvedAt: Date | null;
  consentDate: Date;
  consentSource: string;
};

const emailSchema = z.email();
const hasControl = (v: string, allowLines: boolean) =>
  [...v].some((ch) => {
    const c = ch.charCodeAt(0);
    return (c < 32 && !(allowLines && (ch === '\n' || ch === '\r' || ch === '\t'))) || c === 127;
  });
const list = (v: string) =>
  v
    .split(/[;|]/)
    .map((x) => x.trim())
    .filter(Boolean);
const interestByWord = new Map<string, string>(
  interestOptions.flatMap((o) => [
    [o.value, o.value],
    [o.text.toLowerCase(), o.value],
  ]),
);
const regionByWord = new Map<string, string>(regionOptions.map((r) => [r.toLowerCase(), r]));
const paymentByWord = new Map<string, string>([
  ...paymentOptions.flatMap(
    (o) =>
      [
        [o.value, o.value],
        [o.text.toLowerCase(), o.value],
      ] as [string, string][],
  ),
  ['paid', 'fee'],
  ['fees', 'fee'],
  ['unpaid', 'no-fee'],
  ['not paid', 'no-fee'],
  ['no fee', 'no-fee'],
  ['voucher', 'vouchers'],
]);
const DATE_HINT = 'write it like 31/03/2026 or 2026-03-31';

// The email address a row would import, or null when it has none that is valid.
export function emailOfRow(value: string): string | null {
  const v = value.trim().toLowerCase();
  return v && v.length <= 254 && emailSchema.safeParse(v).success ? v : null;
}

// Every check on one row that does not need the database; the first problem found is its reason.
export function checkRow(
  get: (field: ImportFieldKey) => string,
  ctx: CheckContext,
): { ok: true; value: ImportedPerson } | { ok: false; reason: string } {
  const bad = (reason: string) => ({ ok: false as const, reason });
  const rawEmail = get('email');
  if (!rawEmail) return bad('Email address is missing: everyone on the register needs one so they can sign in');
  if (rawEmail.length > 254) return bad('Email address must be 254 characters or fewer');
  const email = emailOfRow(rawEmail);
  if (!email) return bad('Email address is not valid');

  const fullName = get('fullName');
  if (!fullName) return bad('Full name is missing');
  if (fullName.length > 120) return bad('Full name must be 120 characters or fewer');
  if (/[<>]/.test(fullName) || hasControl(fullName, false)) return bad('Full name must not include < > or control characters');
  const preferredName = get('preferredName');
  if (preferredName.length > 120) return bad('Preferred name must be 120 characters or fewer');
  if (/[<>]/.test(preferredName) || hasControl(preferredName, false))
    return bad('Preferred name must not include < > or control characters');
  const phone = get('phone');
  if (phone && !phonePattern.test(phone)) return bad('Phone number is not valid (like 01632 960 001 or 07700 900 982)');
  const postalAddress = get('postalAddress');
  if (postalAddress.length > 500) return bad('Postal address must be 500 characters or fewer');
  if (hasControl(postalAddress, true)) return bad('Postal address must not include control characters');
  const accessNeedsNotes = get('accessNeedsNotes');
  if (accessNeedsNotes.length > 2000) return bad('Access needs notes must be 2,000 characters or fewer');
  if (hasControl(accessNeedsNotes, true)) return bad('Access needs notes must not include control characters');

  const rawRegion = get('region');
  const region = rawRegion ? regionByWord.get(rawRegion.toLowerCase()) : null;
  if (rawRegion && !region) return bad(`Unknown region: ${rawRegion.slice(0, 80)}`);
  const interestWords = list(get('interests'));
  const unknownInterests = interestWords.filter((w) => !interestByWord.has(w.toLowerCase()));
  if (unknownInterests.length) return bad(`Unknown interest: ${unknownInterests.join(', ').slice(0, 200)}`);
  const termWords = list(get('livedExperience'));
  const unknownTerms = termWords.filter((w) => !ctx.termsByLabel.has(w.toLowerCase()));
  if (unknownTerms.length)
    return bad(`Unknown lived experience: ${unknownTerms.join(', ').slice(0, 200)} (not in the lived experience terms)`);
  const rawPayment = get('paymentPreference');
  const paymentPreference = rawPayment ? paymentByWord.get(rawPayment.toLowerCase()) : null;
  if (rawPayment && !paymentPreference) return bad(`Unknown payment preference: ${rawPayment.slice(0, 80)} (use fee, no fee or vouchers)`);

  const rawInvolved = get('lastInvolvedAt');
  const lastInvolvedAt = rawInvolved ? parseImportDate(rawInvolved, ctx.now) : null;
  if (rawInvolved && !lastInvolvedAt) return bad(`Last involved date is not a date, or is in the future (${DATE_HINT})`);
  const rawConsent = get('consentDate');
  if (!rawConsent) return bad('Consent date is missing: we only import people who agreed to us holding their details');
  const consentDate = parseImportDate(rawConsent, ctx.now);
  if (!consentDate) return bad(`Consent date is not a date, or is in the future (${DATE_HINT})`);
  const consentSource = get('consentSource');
  if (!consentSource) return bad('How consent was given is missing: say where and how they agreed, like “Paper form at open day”');
  if (consentSource.length > 200) return bad('How consent was given must be 200 characters or fewer');
  if (hasControl(consentSource, false)) return bad('How consent was given must not include control characters');

  return {
    ok: true,
    value: {
      email,
      fullName,
      preferredName: preferredName || null,
      phone: phone || null,
      postalAddress: postalAddress ? postalAddress.replace(/\r\n?/g, '\n') : null,
      region: region ?? null,
      interests: [...new Set(interestWords.map((w) => interestByWord.get(w.toLowerCase())!))],
      termIds: [...new Set(termWords.flatMap((w) => ctx.termsByLabel.get(w.toLowerCase())!.map((t) => t.id)))],
      accessNeedsNotes: accessNeedsNotes ? accessNeedsNotes.replace(/\r\n?/g, '\n') : null,
      paymentPreference: paymentPreference ?? null,
      lastInvolvedAt,
      consentDate,
      consentSource,
    },
  };
}
