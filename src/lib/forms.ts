import { z } from 'zod';

// One entry per field in error, in the shape the NHS error summary and inline errors take.
export type FieldErrors = Record<string, string>;
export type ErrorSummaryItem = { text: string; href: string };

// What every service returns for something a person can get wrong: ok with a value, or the
// errors to show beside each field (the route re-renders the form with them, status 400).
export type Result<T = void> = { ok: true; value: T } | { ok: false; errors: FieldErrors };
export function ok(): { ok: true; value: void };
export function ok<T>(value: T): { ok: true; value: T };
export function ok<T>(value?: T) {
  return { ok: true as const, value };
}
export const invalid = (errors: FieldErrors) => ({ ok: false as const, errors });

// Runs a Zod schema over a form body and keeps the first message for each field.
export function validateForm<S extends z.ZodType>(schema: S, body: unknown): Result<z.infer<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

// The error summary links each message to its field's id; the order follows the form.
export function errorSummary(errors: FieldErrors, order: string[] = []): ErrorSummaryItem[] {
  const keys = [...order.filter((k) => k in errors), ...Object.keys(errors).filter((k) => !order.includes(k))];
  return keys.map((k) => ({ text: errors[k]!, href: `#${k}` }));
}

// Form fields arrive as strings; trimming here keeps every schema simple.
export function trimmed(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

// A query-string field that may be missing and is never an error (shared, bookmarked addresses are
// read leniently): the function decides what any value means.
export const lenient = <T>(fn: (v: unknown) => T) => z.unknown().optional().transform(fn);
