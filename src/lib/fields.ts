import { z } from 'zod';
import { msg } from './messages.ts';

// Zod fields that several forms share, with the GOV.UK-style messages people see. Messages are
// msg() keys (locales/<lang>/fields.json); a label is itself a msg() key, translated in its place.

export const emailField = z
  .string({ error: msg('fields.email.missing') })
  .min(1, msg('fields.email.missing'))
  .max(254, msg('fields.email.tooLong'))
  .pipe(z.email(msg('fields.email.format')))
  .transform((e) => e.toLowerCase());

// Refuses control characters and angle brackets in names: no one's name needs them.
// `empty` and `label` are msg() keys: what to say when it is missing, and the field's name.
export const personName = (empty: string, label: string) =>
  z
    .string({ error: empty })
    .min(1, empty)
    .max(120, msg('fields.text.tooLong', { label, max: 120 }))
    .refine((v) => !/[<>\p{Cc}]/u.test(v), msg('fields.name.characters', { label }));

// Line breaks and tabs are fine in free text; other control characters never belong there.
export const hasControlCharacters = (v: string) =>
  [...v].some((ch) => {
    const code = ch.charCodeAt(0);
    return (code < 32 && ch !== '\n' && ch !== '\r' && ch !== '\t') || code === 127;
  });

// `label` is a msg() key naming the field.
export const optionalText = (label: string, max: number) =>
  z
    .string({ error: msg('fields.text.notText', { label }) })
    .max(max, msg('fields.text.tooLong', { label, max }))
    .refine((v) => !hasControlCharacters(v), msg('fields.text.controlCharacters', { label }))
    .optional()
    .transform((v) => (v ? v.replace(/\r\n?/g, '\n') : null));

// A field sent more than once (an array, from a tampered form) is no answer: it reads as missing.
export const single = (v: unknown) => (Array.isArray(v) ? undefined : v);

// The free-text fields of one form. `label(field)` is the msg() key of a field's name, used when
// it is too long or holds control characters; a required field that is empty says
// `<validation>.<field>` (what to enter). Line endings become \n; an empty optional field is null.
export function formText(validation: string, label: (field: string) => string) {
  const optional = (field: string, max: number) => z.preprocess(single, optionalText(msg(label(field)), max));
  const required = (field: string, max: number) => optional(field, max).pipe(z.string({ error: msg(`${validation}.${field}`) }));
  return { optional, required };
}

export const phonePattern = /^\+?[0-9 ()-]{7,20}$/;
