import { describe, expect, it } from 'vitest';
import { createI18n } from '#src/lib/i18n.ts';
import { checkMapping, checkRow, guessMapping, type ImportFieldKey } from './import-fields.ts';

// Reasons and errors are messages; read them as an English page shows them.
const english = createI18n().translator('en');

const now = new Date('2026-11-24T12:00:00Z');
const termsByLabel = new Map([
  ['diabetes', [{ id: 1, label: 'Diabetes' }]],
  ['carer for a parent', [{ id: 2, label: 'Carer for a parent' }]],
]);
const good: Partial<Record<ImportFieldKey, string>> = {
  fullName: 'Sam Patel',
  email: 'Sam@Example.net',
  preferredName: 'Sam',
  phone: '07700 900 982',
  postalAddress: '1 High Street\nLeeds',
  region: 'yorkshire and the humber',
  interests: 'Surveys; co-design',
  livedExperience: 'diabetes; Carer for a parent',
  accessNeedsNotes: 'Step-free access please',
  paymentPreference: 'Vouchers',
  lastInvolvedAt: '01/06/2025',
  consentDate: '2024-03-31',
  consentSource: 'Paper form at open day',
};
const check = (changes: Partial<Record<ImportFieldKey, string>>) =>
  checkRow((k) => ({ ...good, ...changes })[k] ?? '', { now, termsByLabel });
const reason = (changes: Partial<Record<ImportFieldKey, string>>) => {
  const r = check(changes);
  return r.ok ? 'ok' : english.message(r.reason);
};

describe('mapping the columns of an existing register', () => {
  it('guesses fields from common header names, each field once, leaving unknown columns ignored', () => {
    expect(
      guessMapping([
        'Name',
        'E-mail',
        'Known as',
        'Mobile',
        'Home address',
        'Area',
        'Interests',
        'Lived experience',
        'Reasonable adjustments',
        'Payment',
        'Last involved',
        'Date of consent',
        'How consent was given',
        'Notes',
      ]),
    ).toEqual([
      'fullName',
      'email',
      'preferredName',
      'phone',
      'postalAddress',
      'region',
      'interests',
      'livedExperience',
      'accessNeedsNotes',
      'paymentPreference',
      'lastInvolvedAt',
      'consentDate',
      'consentSource',
      'ignore',
    ]);
    expect(guessMapping(['Email address (home)', 'Full name', 'consented_at', 'source'])).toEqual([
      'email',
      'fullName',
      'consentDate',
      'consentSource',
    ]);
    // A second column that looks like email is left for staff to decide.
    expect(guessMapping(['email', 'Email', ''])).toEqual(['email', 'ignore', 'ignore']);
  });

  it('needs the required fields once each and refuses unknown choices', () => {
    const header = ['A', 'B', 'C', 'D', 'E'];
    const ok = checkMapping(header, {
      'column-0': 'fullName',
      'column-1': 'email',
      'column-2': 'consentDate',
      'column-3': 'consentSource',
      'column-4': 'ignore',
    });
    expect(ok).toEqual({ ok: true, value: ['fullName', 'email', 'consentDate', 'consentSource', 'ignore'] });
    const twice = checkMapping(header, {
      'column-0': 'email',
      'column-1': 'email',
      'column-2': 'consentDate',
      'column-3': 'consentSource',
      'column-4': 'nonsense',
    });
    expect(twice.ok).toBe(false);
    if (twice.ok) return;
    expect(english.message(twice.errors['column-1'])).toBe(
      'Email address is already chosen for the column “A”. Choose it for one column only',
    );
    expect(english.message(twice.errors['column-4'])).toBe('Select what the column “E” holds');
    expect(english.message(twice.errors['field-fullName'])).toContain('Choose the column that holds full name');
  });
});

describe('checking a row of an existing register', () => {
  it('accepts a complete row, normalising what it can', () => {
    const r = check({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      email: 'sam@example.net',
      region: 'Yorkshire and the Humber',
      interests: ['surveys', 'co-design'],
      termIds: [1, 2],
      paymentPreference: 'vouchers',
      consentSource: 'Paper form at open day',
    });
    expect(r.value.lastInvolvedAt?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(r.value.consentDate.toISOString()).toBe('2024-03-31T00:00:00.000Z');
    expect(
      check({ phone: '', region: '', interests: '', livedExperience: '', paymentPreference: '', lastInvolvedAt: '', preferredName: '' }).ok,
    ).toBe(true);
  });

  it('gives a clear reason for every problem', () => {
    expect(reason({ email: '' })).toBe('Email address is missing: everyone on the register needs one so they can sign in');
    expect(reason({ email: 'not-an-email' })).toBe('Email address is not valid');
    expect(reason({ email: `${'a'.repeat(250)}@example.net` })).toBe('Email address must be 254 characters or fewer');
    expect(reason({ fullName: '' })).toBe('Full name is missing');
    expect(reason({ fullName: 'x'.repeat(121) })).toBe('Full name must be 120 characters or fewer');
    expect(reason({ fullName: '<script>' })).toBe('Full name must not include < > or control characters');
    expect(reason({ preferredName: 'y'.repeat(121) })).toBe('Preferred name must be 120 characters or fewer');
    expect(reason({ phone: 'call me' })).toContain('Phone number is not valid');
    expect(reason({ postalAddress: 'z'.repeat(501) })).toBe('Postal address must be 500 characters or fewer');
    expect(reason({ accessNeedsNotes: 'n'.repeat(2001) })).toBe('Access needs notes must be 2,000 characters or fewer');
    expect(reason({ accessNeedsNotes: 'bell\u0007' })).toBe('Access needs notes must not include control characters');
    // Line breaks and tabs are allowed in the long fields only; DEL (127) nowhere.
    expect(check({ accessNeedsNotes: 'line\r\nbreak\tand tab', postalAddress: '1 Road\nTown' }).ok).toBe(true);
    expect(reason({ fullName: 'Tab\tName' })).toBe('Full name must not include < > or control characters');
    expect(reason({ postalAddress: 'del\u007f' })).toBe('Postal address must not include control characters');
    expect(reason({ consentSource: 'Paper\nform' })).toContain('How consent was given must not include');
    expect(reason({ region: 'Atlantis' })).toBe('Unknown region: Atlantis');
    expect(reason({ interests: 'Surveys; Knitting; Gardening' })).toBe('Unknown interest: Knitting, Gardening');
    expect(reason({ livedExperience: 'Diabetes; Asthma' })).toBe('Unknown lived experience: Asthma (not in the lived experience terms)');
    expect(reason({ paymentPreference: 'Bitcoin' })).toBe('Unknown payment preference: Bitcoin (use fee, no fee or vouchers)');
    expect(reason({ lastInvolvedAt: '2027-01-01' })).toContain('Last involved date is not a date, or is in the future');
    expect(reason({ lastInvolvedAt: '31/02/2025' })).toContain('Last involved date is not a date');
    expect(reason({ consentDate: '' })).toBe('Consent date is missing: we only import people who agreed to us holding their details');
    expect(reason({ consentDate: 'last spring' })).toContain('Consent date is not a date, or is in the future');
    expect(reason({ consentDate: '2026-02-30' })).toContain('Consent date is not a date');
    expect(reason({ consentDate: '25/12/2026' })).toContain('in the future');
    expect(reason({ consentSource: '' })).toContain('How consent was given is missing');
    expect(reason({ consentSource: 's'.repeat(201) })).toBe('How consent was given must be 200 characters or fewer');
  });

  it('keeps a spreadsheet formula as plain text (it is neutralised whenever it is exported)', () => {
    const r = check({ preferredName: '=HYPERLINK("http://evil.example","x")' });
    expect(r.ok && r.value.preferredName).toBe('=HYPERLINK("http://evil.example","x")');
  });
});
