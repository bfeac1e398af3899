// A message for a person, carried as a string until it is shown, so that validation (Zod schemas,
// services' Result errors) can say what is wrong without knowing which language the page is in.
// The page translates it as it renders (src/plugins/views.ts), an email as it is written.
//
//   msg('comments.form.body.missing')                   → "⟦comments.form.body.missing⟧"
//   msg('fields.text.tooLong', { label: msg('…'), max }) → values travel as JSON
//
// Text that is not a message (an old value, a third party's words) is shown as it is.
const open = '\u27E6';
const close = '\u27E7';

export type MessageValues = Record<string, string | number | boolean | null>;

export function msg(key: string, values?: MessageValues): string {
  return values ? `${open}${key}${JSON.stringify(values)}${close}` : `${open}${key}${close}`;
}

export function readMessage(message: string): { key: string; values?: MessageValues } | null {
  if (!message.startsWith(open) || !message.endsWith(close)) return null;
  const inner = message.slice(1, -1);
  const brace = inner.indexOf('{');
  if (brace === -1) return { key: inner };
  try {
    return { key: inner.slice(0, brace), values: JSON.parse(inner.slice(brace)) as MessageValues };
  } catch {
    return null;
  }
}

export const isMessage = (s: unknown): s is string => typeof s === 'string' && readMessage(s) !== null;
