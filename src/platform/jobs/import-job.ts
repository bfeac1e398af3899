import { integer, jsonb, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import type { Queue } from './queue.ts';
import { csvRow, parseCsv } from '#src/lib/csv.ts';

// A CSV import that runs as a background job: the uploaded file waits in the import's own row,
// rows are checked and added in chunks, each chunk in one transaction together with the progress
// it makes, so a crash (or a second worker) can never leave a chunk half-done or done twice, and a
// retry carries on from the first row not yet handled. When it finishes the file is cleared.

export type RejectedRow = { line: number; email: string; reason: string };
export type ParsedRow = { line: number; fields: string[] };
export const importStatuses = ['draft', 'queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];

// Rejections kept for the report and its download; the count is always exact.
export const KEPT_REJECTIONS = 20_000;
export const MAX_IMPORT_ROWS = 100_000;
const MAX_COLUMNS = 60;
const MAX_LINE_CHARS = 100_000;

// The columns every import table has. The default status is 'done' because imports made before
// imports ran as jobs were finished by the time their row was written.
export function importJobColumns() {
  return {
    id: serial('id').primaryKey(),
    filename: text('filename').notNull(),
    status: text('status', { enum: importStatuses }).notNull().default('done'),
    // The uploaded file, personal data: kept only until the import has finished.
    fileContent: text('file_content'),
    totalRows: integer('total_rows').notNull(),
    processedRows: integer('processed_rows').notNull().default(0),
    // The numbers of the chunks already imported, so a restart does only the others.
    doneChunks: integer('done_chunks')
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    importedCount: integer('imported_count').notNull(),
    rejectedCount: integer('rejected_count').notNull(),
    rejected: jsonb('rejected').$type<RejectedRow[]>().notNull().default([]),
    failure: text('failure'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  };
}

export type ImportJobRow = {
  id: number;
  filename: string;
  status: ImportStatus;
  fileContent: string | null;
  totalRows: number;
  processedRows: number;
  importedCount: number;
  rejectedCount: number;
  rejected: RejectedRow[];
  failure: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

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
  if (!text || !text.replace(/^\uFEFF/, '').trim()) return { ok: false, error: 'The selected file is empty' };
  // A NUL or the replacement character means a binary file (a spreadsheet, not CSV) or another encoding.
  if (text.includes('\u0000')) return { ok: false, error: 'The selected file must be a CSV file. Save a spreadsheet as “CSV UTF-8” first' };
  if (text.includes('\uFFFD')) return { ok: false, error: 'The selected file is not in UTF-8. Save it as “CSV UTF-8” and try again' };
  let rows: ParsedRow[];
  try {
    rows = parseCsv(text);
  } catch {
    return { ok: false, error: 'The selected file could not be read as CSV' };
  }
  if (!rows.length) return { ok: false, error: 'The selected file is empty' };
  const header = rows[0]!.fields.map((h) => h.trim());
  if (header.length > MAX_COLUMNS) return { ok: false, error: `The file must have ${MAX_COLUMNS} columns or fewer` };
  const long = rows.find((r) => r.fields.reduce((n, f) => n + f.length, 0) > MAX_LINE_CHARS);
  if (long)
    return {
      ok: false,
      error: `Line ${long.line} is too long (over ${MAX_LINE_CHARS.toLocaleString('en-GB')} characters). Check the file is a CSV file`,
    };
  const body = rows.slice(1);
  if (!body.length) return { ok: false, error: 'The file has column names but no rows of people' };
  if (body.length > MAX_IMPORT_ROWS)
    return { ok: false, error: `The file must have ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} rows or fewer` };
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

export function rejectedCsv(rejected: RejectedRow[]): string {
  return csvRow(['line', 'email', 'reason']) + rejected.map((r) => csvRow([r.line, r.email, r.reason])).join('');
}

export type Progress = { percent: number; processed: number; total: number; running: boolean };
export function progressOf(job: Pick<ImportJobRow, 'status' | 'processedRows' | 'totalRows'>): Progress {
  const total = job.totalRows;
  const processed = Math.min(job.processedRows, total);
  return {
    processed,
    total,
    percent: total ? Math.floor((processed / total) * 100) : 100,
    running: job.status === 'queued' || job.status === 'running',
  };
}

// What the progress partial (src/views/partials/import-progress.njk) needs. The file itself is
// never sent back to the page.
export function importView(job: ImportJobRow, downloadHref: string, shown = 500) {
  const progress = progressOf(job);
  const n = (x: number) => x.toLocaleString('en-GB');
  const { fileContent: _file, ...safe } = job;
  return {
    job: safe,
    progress,
    figures: { total: n(job.totalRows), processed: n(progress.processed), imported: n(job.importedCount), rejected: n(job.rejectedCount) },
    downloadHref,
    shownRejections: job.rejected.slice(0, shown),
  };
}

export type ImportJobSpec<Ctx> = {
  // The import table (built with importJobColumns) and the job queue's name.
  table: string;
  queueName: string;
  chunkSize?: number;
  // Chunks worked on at the same time (in separate transactions).
  concurrency?: number;
  // What every chunk needs (lookups, the whole-file duplicate map), built once per run.
  prepare(job: ImportJobRow, header: string[], rows: ParsedRow[]): Promise<Ctx>;
  // Checks and adds one chunk of rows inside the chunk's transaction.
  processChunk(tx: Db, ctx: Ctx, rows: ParsedRow[]): Promise<{ imported: number; rejected: RejectedRow[] }>;
  // Runs in the transaction that marks the import done (an audit entry, say).
  finish?(tx: Db, job: ImportJobRow): Promise<void>;
};

type Log = { error: (obj: unknown, msg?: string) => void };

const rowOf = (r: Record<string, unknown>): ImportJobRow => ({
  id: Number(r.id),
  filename: String(r.filename),
  status: r.status as ImportStatus,
  fileContent: (r.file_content as string | null) ?? null,
  totalRows: Number(r.total_rows),
  processedRows: Number(r.processed_rows),
  importedCount: Number(r.imported_count),
  rejectedCount: Number(r.rejected_count),
  rejected: (typeof r.rejected === 'string' ? JSON.parse(r.rejected) : r.rejected) as RejectedRow[],
  failure: (r.failure as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
  startedAt: r.started_at ? new Date(r.started_at as string) : null,
  finishedAt: r.finished_at ? new Date(r.finished_at as string) : null,
});

export function createImportJobs<Ctx>(db: Db, queue: Queue, spec: ImportJobSpec<Ctx>, log: Log) {
  const table = sql.identifier(spec.table);
  // Fixed for an import's life: the chunks it has done are recorded by number.
  const chunkSize = spec.chunkSize ?? 1000;
  const concurrency = spec.concurrency ?? 2;
  // Imports this process is working on now, so a second job for the same import waits for it.
  const running = new Map<number, Promise<void>>();

  // Everything but the file (megabytes, read only by the run itself).
  const load = async (id: number, runner: Db = db, lock = false): Promise<ImportJobRow | undefined> => {
    const [r] = rowsOf(
      await runner.execute(
        sql`select id, filename, status, null as file_content, total_rows, processed_rows, imported_count, rejected_count, rejected, failure, created_at, started_at, finished_at
            from ${table} where id = ${id}${lock ? sql` for update` : sql``}`,
      ),
    );
    return r ? rowOf(r) : undefined;
  };
  const fileOf = async (id: number) => {
    const [r] = rowsOf(await db.execute(sql`select file_content from ${table} where id = ${id}`));
    return (r?.file_content as string | null) ?? '';
  };
  const doneChunks = async (id: number) => {
    const [r] = rowsOf(await db.execute(sql`select done_chunks from ${table} where id = ${id}`));
    return new Set(((r?.done_chunks as number[] | null) ?? []).map(Number));
  };
  const update = (runner: Db, id: number, set: SQL, where: SQL = sql`true`) =>
    runner.execute(sql`update ${table} set ${set} where id = ${id} and ${where} returning id`);

  // One chunk: its rows and the record that it is done commit together, or not at all. False when
  // another worker had already done it or the import is no longer running.
  async function runChunk(id: number, k: number, rows: ParsedRow[], ctx: Ctx): Promise<boolean> {
    try {
      await db.transaction(async (tx) => {
        // A chunk lost in a crash (committed, not yet on disk) is simply done again, because its
        // rows and its progress go together: no need to wait for the disk.
        await tx.execute(sql`set local synchronous_commit = off`);
        const outcome = await spec.processChunk(tx, ctx, rows);
        const rejected = outcome.rejected.sort((a, b) => a.line - b.line);
        const moved = rowsOf(
          await update(
            tx,
            id,
            sql`done_chunks = array_append(done_chunks, ${k}::int), processed_rows = processed_rows + ${rows.length},
                imported_count = imported_count + ${outcome.imported}, rejected_count = rejected_count + ${rejected.length},
                rejected = case when jsonb_array_length(rejected) < ${KEPT_REJECTIONS} then rejected || ${JSON.stringify(rejected.slice(0, KEPT_REJECTIONS))}::jsonb else rejected end`,
            sql`status = 'running' and not (${k}::int = any(done_chunks))`,
          ),
        );
        if (!moved.length) throw new ChunkTakenError();
      });
      return true;
    } catch (err) {
      if (err instanceof ChunkTakenError) return false;
      throw err;
    }
  }

  // Works through the rows not yet handled; maxChunks stops early (tests simulate a crash with it).
  async function work(id: number, opts: { maxChunks?: number } = {}): Promise<void> {
    const job = await load(id);
    if (!job || (job.status !== 'queued' && job.status !== 'running')) return;
    if (job.status === 'queued') await update(db, id, sql`status = 'running', started_at = now()`, sql`status = 'queued'`);
    const read = readCsvFile(await fileOf(id));
    if (!read.ok) {
      await update(db, id, sql`status = 'failed', failure = ${read.error}, file_content = null, finished_at = now()`);
      return;
    }
    const ctx = await spec.prepare(job, read.header, read.rows);
    const done = await doneChunks(id);
    const todo = Array.from({ length: Math.ceil(read.rows.length / chunkSize) }, (_, k) => k).filter((k) => !done.has(k));
    const limit = Math.min(todo.length, opts.maxChunks ?? Infinity);
    let next = 0;
    let stopped = false;
    // A few chunks at a time, each in its own transaction (the database works on them side by
    // side); only the last statement of each, which records its progress, waits for the others.
    const lane = async () => {
      while (!stopped && next < limit) {
        const k = todo[next++]!;
        if (!(await runChunk(id, k, read.rows.slice(k * chunkSize, (k + 1) * chunkSize), ctx))) stopped = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, limit) }, lane));
    if (stopped || limit < todo.length) return;
    await db.transaction(async (tx) => {
      const current = await load(id, tx, true);
      if (!current || current.status !== 'running' || current.processedRows < current.totalRows) return;
      await spec.finish?.(tx, current);
      await update(
        tx,
        id,
        sql`status = 'done', file_content = null, finished_at = now(), rejected = (select coalesce(jsonb_agg(r order by (r->>'line')::int), '[]'::jsonb) from jsonb_array_elements(rejected) r)`,
      );
    });
  }

  const jobs = {
    get: (id: number) => load(id),
    // The stored file, while the import has one (tests check it is cleared).
    file: (id: number) => fileOf(id),

    // Runs one import now in this process (or waits for the run already going).
    run(id: number, opts: { maxChunks?: number } = {}): Promise<void> {
      const existing = running.get(id);
      if (existing) return existing;
      const p = work(id, opts).finally(() => running.delete(id));
      running.set(id, p);
      return p;
    },

    // Promises the job in the caller's transaction: it runs if and only if the import was queued.
    async enqueue(id: number, tx: Db) {
      await queue.send(
        spec.queueName,
        { id },
        { tx, retryLimit: 5, retryDelay: 5, retryBackoff: true, singletonKey: `${spec.table}-${id}` },
      );
    },

    async startWorker() {
      await queue.work<{ id: number }>(spec.queueName, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
        if (!job) return;
        try {
          await jobs.run(job.data.id);
        } catch (err) {
          log.error({ err, importId: job.data.id, table: spec.table }, 'import stopped by an error; it will be retried');
          throw err;
        }
      });
    },

    // After a restart: queue again any import that should be running, and forget uploads that
    // were never confirmed (they hold personal data) after a day.
    async sweep() {
      await db.execute(sql`delete from ${table} where status = 'draft' and created_at < now() - interval '1 day'`);
      const stuck = rowsOf(await db.execute(sql`select id from ${table} where status in ('queued', 'running')`));
      for (const r of stuck)
        await queue.send(spec.queueName, { id: Number(r.id) }, { retryLimit: 5, singletonKey: `${spec.table}-${Number(r.id)}` });
    },
  };
  return jobs;
}
export type ImportJobs = ReturnType<typeof createImportJobs>;

class ChunkTakenError extends Error {}
