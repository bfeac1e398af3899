// The rows of a raw `db.execute(sql…)`: both drivers (node-postgres and PGlite) answer { rows }.
// Its own module (no imports), so table files can use it without an import cycle through the schema.
export const rowsOf = <T = Record<string, unknown>>(result: unknown): T[] =>
  Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
