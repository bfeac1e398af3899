import { notFound } from './errors.ts';

// Route parameters and form fields naming a row: anything other than a positive whole number that
// fits a PostgreSQL integer is "not found" (or "not chosen"), never an error from the database.
export function parseId(v: unknown): number | null {
  if (typeof v !== 'string' || !/^\d{1,10}$/.test(v)) return null;
  const n = Number(v);
  return n >= 1 && n <= 2_147_483_647 ? n : null;
}

// The same, for a route that shows nothing without it: a 404 page rather than null.
export function idOrNotFound(v: unknown, what: string): number {
  const id = parseId(v);
  if (id === null) throw notFound(what);
  return id;
}
