import { csvRecords, csvRow } from '#src/lib/csv.ts';
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
  const file = openCsvFile(text);
  if (!file.ok) return file;
  try {
    return { ok: true, header: file.header, rows: [...file.rows] };
  } catch (err) {
    return { ok: false, error: err instanceof CsvFileError ? err.message : msg('jobs.admin.file.unreadable') };
  }
}

// What is wrong with a file, found part way through its rows: its message is a msg() for staff.
export class CsvFileError extends Error {}

// The same file read a row at a time, as an import job works through it: the checks that need the
// whole file are made at once; a row that fails its checks throws CsvFileError when it is reached.
export type OpenFile = { ok: true; header: string[]; rows: Generator<ParsedRow, void, undefined> } | { ok: false; error: string };
export function openCsvFile(text: string): OpenFile {
  if (!text || !text.replace(/^\uFEFF/, '').trim()) return { ok: false, error: msg('jobs.admin.file.empty') };
  // A NUL or the replacement character means a binary file (a spreadsheet, not CSV) or another encoding.
  if (text.includes('\u0000')) return { ok: false, error: msg('jobs.admin.file.notCsv') };
  if (text.includes('\uFFFD')) return { ok: false, error: msg('jobs.admin.file.notUtf8') };
  const records = csvRecords(text);
  let first: IteratorResult<ParsedRow, void>;
  try {
    first = records.next();
  } catch {
    return { ok: false, error: msg('jobs.admin.file.unreadable') };
  }
  if (first.done) return { ok: false, error: msg('jobs.admin.file.empty') };
  const header = first.value.fields.map((h) => h.trim());
  if (header.length > MAX_COLUMNS) return { ok: false, error: msg('jobs.admin.file.tooManyColumns', { max: MAX_COLUMNS }) };
  const tooLong = (r: ParsedRow) =>
    r.fields.reduce((n, f) => n + f.length, 0) > MAX_LINE_CHARS &&
    msg('jobs.admin.file.lineTooLong', { line: r.line, max: MAX_LINE_CHARS });
  const headerTooLong = tooLong(first.value);
  if (headerTooLong) return { ok: false, error: headerTooLong };
  function* rows(): Generator<ParsedRow, void, undefined> {
    let count = 0;
    for (const r of records) {
      const long = tooLong(r);
      if (long) throw new CsvFileError(long);
      if (++count > MAX_IMPORT_ROWS) throw new CsvFileError(msg('jobs.admin.file.tooManyRows', { max: MAX_IMPORT_ROWS }));
      yield r;
    }
    if (!count) throw new CsvFileError(msg('jobs.admin.file.noRows'));
  }
  return { ok: true, header, rows: rows() };
}

// Notes the line on which each address first appears, called for every row in the file's order
// (an import's `see`), so "same address as line N" is decided the same way however the work is
// split into chunks or resumed.
export function noteFirstLine(first: Map<string, number>, email: string | null, line: number) {
  if (email && !first.has(email)) first.set(email, line);
}

// The rejected rows as a download. Reasons may be messages (msg()): they are written in the
// language of the page that offers the file (`req.tr.message`).
export function rejectedCsv(rejected: RejectedRow[], reasonText: (reason: string) => string): string {
  return csvRow(['line', 'email', 'reason']) + rejected.map((r) => csvRow([r.line, r.email, reasonText(r.reason)])).join('');
}
