import { z } from 'zod';
import { parseImportDate } from '#src/platform/jobs/import-rows.ts';
import type { FieldErrors } from '#src/lib/forms.ts';
import { interestOptions, paymentOptions, regionOptions } from '#src/features/profile/schema.ts';
import { phonePattern } from '#src/lib/fields.ts';
import { msg } from '#src/lib/messages.ts';

// What a column of an existing register can hold, in the order the mapping page offers them.
// `guesses` are header names (lower case, words only) that are taken to mean the field.
export const importFields = [
  {
    key: 'fullName',
    text: 'people.admin.import.fields.fullName',
    required: true,
    guesses: ['full name', 'name', 'fullname', 'contributor name', 'participant name', 'person'],
  },
  {
    key: 'email',
    text: 'people.admin.import.fields.email',
    required: true,
    guesses: ['email', 'email address', 'e mail', 'e mail address', 'emailaddress', 'mail'],
  },
  {
    key: 'preferredName',
    text: 'people.admin.import.fields.preferredName',
    required: false,
    guesses: ['preferred name', 'known as', 'nickname', 'preferred'],
  },
  {
    key: 'phone',
    text: 'people.admin.import.fields.phone',
    required: false,
    guesses: ['phone', 'phone number', 'telephone', 'telephone number', 'tel', 'mobile', 'mobile number'],
  },
  {
    key: 'postalAddress',
    text: 'people.admin.import.fields.postalAddress',
    required: false,
    guesses: ['postal address', 'address', 'home address', 'postal'],
  },
  { key: 'region', text: 'people.admin.import.fields.region', required: false, guesses: ['region', 'area', 'where they live'] },
  {
    key: 'interests',
    text: 'people.admin.import.fields.interests',
    required: false,
    guesses: ['interests', 'interest', 'involvement interests', 'interested in', 'kinds of involvement'],
  },
  {
    key: 'livedExperience',
    text: 'people.admin.import.fields.livedExperience',
    required: false,
    guesses: ['lived experience', 'experience', 'conditions', 'lived experiences'],
  },
  {
    key: 'accessNeedsNotes',
    text: 'people.admin.import.fields.accessNeedsNotes',
    required: false,
    guesses: ['access needs', 'access', 'adjustments', 'reasonable adjustments', 'access requirements'],
  },
  {
    key: 'paymentPreference',
    text: 'people.admin.import.fields.paymentPreference',
    required: false,
    guesses: ['payment preference', 'payment', 'payments', 'paid', 'fees'],
  },
  {
    key: 'lastInvolvedAt',
    text: 'people.admin.import.fields.lastInvolvedAt',
    required: false,
    guesses: ['last involved', 'last involved date', 'last involvement', 'last activity', 'last took part'],
  },
  {
    key: 'consentDate',
    text: 'people.admin.import.fields.consentDate',
    required: true,
    guesses: ['consent date', 'consented', 'consented at', 'consented on', 'date of consent', 'consent given', 'date consented'],
  },
  {
    key: 'consentSource',
    text: 'people.admin.import.fields.consentSource',
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
    if (c !== IGNORE && !fieldKeys.has(c)) errors[`column-${i}`] = msg('people.admin.import.mapping.select', { column: header[i] ?? '' });
    else if (c !== IGNORE && usedBy.has(c))
      errors[`column-${i}`] = msg('people.admin.import.mapping.alreadyChosen', {
        field: msg(fieldText(c)),
        column: header[usedBy.get(c)!] ?? '',
      });
    else if (c !== IGNORE) usedBy.set(c, i);
  });
  for (const f of importFields) {
    if (f.required && !usedBy.has(f.key)) errors[`field-${f.key}`] = msg(`people.admin.import.mapping.required.${f.key}`);
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
// Read by character code, without copying the value into an array of characters (a register has
// five of these checks on each of its rows).
const hasControl = (v: string, allowLines: boolean) => {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 127 || (c < 32 && !(allowLines && (c === 10 || c === 13 || c === 9)))) return true;
  }
  return false;
};
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
  if (!rawEmail) return bad(msg('people.admin.import.reasons.emailMissing'));
  if (rawEmail.length > 254) return bad(msg('people.admin.import.reasons.emailTooLong'));
  const email = emailOfRow(rawEmail);
  if (!email) return bad(msg('people.admin.import.reasons.emailInvalid'));

  const fullName = get('fullName');
  if (!fullName) return bad(msg('people.admin.import.reasons.nameMissing'));
  if (fullName.length > 120) return bad(msg('people.admin.import.reasons.nameTooLong'));
  if (/[<>]/.test(fullName) || hasControl(fullName, false)) return bad(msg('people.admin.import.reasons.nameCharacters'));
  const preferredName = get('preferredName');
  if (preferredName.length > 120) return bad(msg('people.admin.import.reasons.preferredNameTooLong'));
  if (/[<>]/.test(preferredName) || hasControl(preferredName, false))
    return bad(msg('people.admin.import.reasons.preferredNameCharacters'));
  const phone = get('phone');
  if (phone && !phonePattern.test(phone)) return bad(msg('people.admin.import.reasons.phoneInvalid'));
  const postalAddress = get('postalAddress');
  if (postalAddress.length > 500) return bad(msg('people.admin.import.reasons.addressTooLong'));
  if (hasControl(postalAddress, true)) return bad(msg('people.admin.import.reasons.addressCharacters'));
  const accessNeedsNotes = get('accessNeedsNotes');
  if (accessNeedsNotes.length > 2000) return bad(msg('people.admin.import.reasons.accessNeedsTooLong'));
  if (hasControl(accessNeedsNotes, true)) return bad(msg('people.admin.import.reasons.accessNeedsCharacters'));

  const rawRegion = get('region');
  const region = rawRegion ? regionByWord.get(rawRegion.toLowerCase()) : null;
  if (rawRegion && !region) return bad(msg('people.admin.import.reasons.unknownRegion', { value: rawRegion.slice(0, 80) }));
  const interestWords = list(get('interests'));
  const unknownInterests = interestWords.filter((w) => !interestByWord.has(w.toLowerCase()));
  if (unknownInterests.length)
    return bad(msg('people.admin.import.reasons.unknownInterest', { value: unknownInterests.join(', ').slice(0, 200) }));
  const termWords = list(get('livedExperience'));
  const unknownTerms = termWords.filter((w) => !ctx.termsByLabel.has(w.toLowerCase()));
  if (unknownTerms.length) return bad(msg('people.admin.import.reasons.unknownTerm', { value: unknownTerms.join(', ').slice(0, 200) }));
  const rawPayment = get('paymentPreference');
  const paymentPreference = rawPayment ? paymentByWord.get(rawPayment.toLowerCase()) : null;
  if (rawPayment && !paymentPreference) return bad(msg('people.admin.import.reasons.unknownPayment', { value: rawPayment.slice(0, 80) }));

  const rawInvolved = get('lastInvolvedAt');
  const lastInvolvedAt = rawInvolved ? parseImportDate(rawInvolved, ctx.now) : null;
  if (rawInvolved && !lastInvolvedAt) return bad(msg('people.admin.import.reasons.lastInvolvedInvalid'));
  const rawConsent = get('consentDate');
  if (!rawConsent) return bad(msg('people.admin.import.reasons.consentDateMissing'));
  const consentDate = parseImportDate(rawConsent, ctx.now);
  if (!consentDate) return bad(msg('people.admin.import.reasons.consentDateInvalid'));
  const consentSource = get('consentSource');
  if (!consentSource) return bad(msg('people.admin.import.reasons.consentSourceMissing'));
  if (consentSource.length > 200) return bad(msg('people.admin.import.reasons.consentSourceTooLong'));
  if (hasControl(consentSource, false)) return bad(msg('people.admin.import.reasons.consentSourceCharacters'));

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
