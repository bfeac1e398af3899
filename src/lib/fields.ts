import { z } from 'zod';

// Zod fields that several forms share, with the GOV.UK-style messages people see.

export const emailField = z
  .string({ error: 'Enter your email address' })
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email('Enter an email address in the correct format, like name@example.com'))
  .transform((e) => e.toLowerCase());

// Refuses control characters and angle brackets in names: no one's name needs them.
export const personName = (empty: string, label: string) =>
  z
    .string({ error: empty })
    .min(1, empty)
    .max(120, `${label} must be 120 characters or fewer`)
    .refine((v) => !/[<>\p{Cc}]/u.test(v), `${label} must not include < > or control characters`);

// Line breaks and tabs are fine in free text; other control characters never belong there.
export const hasControlCharacters = (v: string) =>
  [...v].some((ch) => {
    const code = ch.charCodeAt(0);
    return (code < 32 && ch !== '\n' && ch !== '\r' && ch !== '\t') || code === 127;
  });

export const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .refine((v) => !hasControlCharacters(v), `${label} must not include control characters`)
    .optional()
    .transform((v) => (v ? v.replace(/\r\n?/g, '\n') : null));

export const phonePattern = /^\+?[0-9 ()-]{7,20}$/;
