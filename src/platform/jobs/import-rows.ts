import { csvRow, parseCsv } from '#src/lib/csv.ts';
import { msg } from '#src/lib/messages.ts';
import type { RejectedRow } from './import-table.ts';

// Reading an uploaded CSV file and its rows, the same way for every import.
export type ParsedRow = { line: number; fields: string[] };
export const MAX_IMPORT_ROWS = 100_000;
const MAX_COLUMNS = 60;
const MAX_LINE_CHARS = 100_000;

// 2026-03-31, 2026-03-31T09:30:00Z (any ISO 8601 date-time) or 31/03/2026; never in the future
// (a day's grace for time zones) nor before 1990 (a typing slip).
export function parseImportDate(raw: string, now = new Date()): Date | null {
  let d: Date | null = null;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  const iso = /^(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(raw);
  if (uk) d = new Date(Date.UTC(Number(uk[3]), Number(uk[2]) - 1, Number(uk[1])));
  else if (iso) d = new Date(iso[4] ? raw.replace(' ', 'T') : `${raw}T00:00:00Z`);
  if (!d || Number.isNaN(d.getTime())) return null;
  if (uk && d.getUTCDate() !== Number(uk[1])) return null;
  if (iso && !iso[4] && d.getUTCDate() !== Number(iso[3])) return null;
  if (d.getTime() > now.getTime() + 86_400_000 || d.getUTCFullYear() < 1990) return null;
  return d;
}

// A file staff cannot use is told to them at once, before anything is stored.
export type ReadFile = { ok: true; header: string[]; rows: ParsedRow[] } | { ok: false; error: string };
export function readCsvFile(text: string): ReadFile {
  if (!text || !text.replace(/^\uFEFF/, '').trim()) return { ok: false, error: msg('jobs.admin.file.empty') };
  // A NUL or the replacement character means a binary file (a spreadsheet, not CSV) or another encoding.
  if (text.includes('\u0000')) return { ok: false, error: msg('jobs.admin.file.notCsv') };
  if (text.includes('\uFFFD')) return { ok: false, error: msg('jobs.admin.file.notUtf8') };
  let rows: ParsedRow[];
  try {
    rows = parseCsv(text);
  } catch {
    return { ok: false, error: msg('jobs.admin.file.unreadable') };
  }
  if (!rows.length) return { ok: false, error: msg('jobs.admin.file.empty') };
  const header = rows[0]!.fields.map((h) => h.trim());
  if (header.length > MAX_COLUMNS) return { ok: false, error: msg('jobs.admin.file.tooManyColumns', { max: MAX_COLUMNS }) };
  const long = rows.find((r) => r.fields.reduce((n, f) => n + f.length, 0) > MAX_LINE_CHARS);
  if (long)
    return {
      ok: false,
      error: msg('jobs.admin.file.lineTooLong', { line: long.line, max: MAX_LINE_CHARS }),
    };
  const body = rows.slice(1);
  if (!body.length) return { ok: false, error: msg('jobs.admin.file.noRows') };
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, error: msg('jobs.admin.file.tooManyRows', { max: MAX_IMPORT_ROWS }) };
  return { ok: true, header, rows: body };
}

// The line on which each address first appears, over the whole file, so "same address as line N"
// is decided the same way however the work is split into chunks or resumed.
export function firstLines(rows: ParsedRow[], emailOf: (r: ParsedRow) => string | null): Map<string, number> {
  const first = new Map<string, number>();
  for (const r of rows) {
    const e = emailOf(r);
    if (e && !first.has(e)) first.set(e, r.line);
  }
  return first;
}

// The rejected rows as a download. Reasons may be messages (msg()): they are written in the
// language of the page that offers the file (`req.tr.message`).
export function rejectedCsv(rejected: RejectedRow[], reasonText: (reason: string) => string): string {
  return csvRow(['line', 'email', 'reason']) + rejected.map((r) => csvRow([r.line, r.email, reasonText(r.reason)])).join('');
}
