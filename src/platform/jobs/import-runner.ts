import { sql, type SQL } from 'drizzle-orm';
import { databaseKindOf, type Db } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import type { Log } from '#src/lib/log.ts';
import { msg } from '#src/lib/messages.ts';
import type { Queue } from './queue.ts';
import { CsvFileError, openCsvFile, type ParsedRow } from './import-rows.ts';
import { KEPT_REJECTIONS, type ImportJobRow, type ImportStatus, type RejectedRow } from './import-table.ts';

// A CSV import that runs as a background job: the uploaded file waits in the import's own row,
// rows are checked and added in chunks, each chunk in one transaction together with the progress
// it makes, so a crash (or a second worker) can never leave a chunk half-done or done twice, and a
// retry carries on from the first row not yet handled. When it finishes the file is cleared.

export type ImportJobSpec<Ctx> = {
  // The import table (built with importJobColumns) and the job queue's name.
  table: string;
  queueName: string;
  chunkSize?: number;
  // Chunks worked on at the same time (in separate transactions).
  concurrency?: number;
  // Chunks (consecutive when they can be) checked and added in one transaction: still recorded by
  // number, so a retry does exactly the chunks not done. By default one on PostgreSQL, to share
  // the chunks evenly between the transactions running side by side, and five on PGlite, which
  // runs one transaction at a time: five chunks in each cost about a seventh less than one
  // (scripts/bench/README.md).
  chunksPerTransaction?: number;
  // What every chunk needs (lookups), built once per run.
  prepare(job: ImportJobRow, header: string[]): Promise<Ctx>;
  // Sees every row of the file in order, each before the chunk that holds it is checked, and every
  // chunk before it, done or not (the lines on which each address first appears, say).
  see?(ctx: Ctx, row: ParsedRow): void;
  // Checks and adds one chunk of rows inside the chunk's transaction.
  processChunk(tx: Db, ctx: Ctx, rows: ParsedRow[]): Promise<{ imported: number; rejected: RejectedRow[] }>;
  // Runs in the transaction that marks the import done (an audit entry, say).
  finish?(tx: Db, job: ImportJobRow): Promise<void>;
};

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

export function createImportJobs<Ctx>(db: Db, queue: Queue, spec: ImportJobSpec<Ctx>, log: Pick<Log, 'error'>) {
  const table = sql.identifier(spec.table);
  // Fixed for an import's life: the chunks it has done are recorded by number.
  const chunkSize = spec.chunkSize ?? 1000;
  const concurrency = spec.concurrency ?? 2;
  const perTransaction = spec.chunksPerTransaction ?? (databaseKindOf(db) === 'pglite' ? 5 : 1);
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

  // Some chunks: their rows and the record that they are done commit together, or not at all.
  // False when another worker had already done one of them or the import is no longer running.
  async function runChunks(id: number, ks: number[], rows: ParsedRow[], ctx: Ctx): Promise<boolean> {
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
            sql`done_chunks = done_chunks || ${sql.param(ks)}::int[], processed_rows = processed_rows + ${rows.length},
                imported_count = imported_count + ${outcome.imported}, rejected_count = rejected_count + ${rejected.length},
                rejected = case when jsonb_array_length(rejected) < ${KEPT_REJECTIONS} then rejected || ${JSON.stringify(rejected.slice(0, KEPT_REJECTIONS))}::jsonb else rejected end`,
            sql`status = 'running' and not (done_chunks && ${sql.param(ks)}::int[])`,
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
    // The file is read as its chunks are taken, in order, so the database starts on the first
    // chunk while the rest is still unread (reading 50,000 rows first kept it idle for the import's
    // first 0.1–0.25 s: ADR 12, "Later: the file read as it is worked through").
    const file = openCsvFile(await fileOf(id));
    const fail = (error: string) => update(db, id, sql`status = 'failed', failure = ${error}, file_content = null, finished_at = now()`);
    if (!file.ok) return void (await fail(file.error));
    const ctx = await spec.prepare(job, file.header);
    const done = await doneChunks(id);
    const chunks = Math.ceil(job.totalRows / chunkSize);
    const todo = Array.from({ length: chunks }, (_, k) => k).filter((k) => !done.has(k));
    const limit = Math.min(todo.length, opts.maxChunks ?? Infinity);
    // The rows of chunk k, reading (and showing to `see`) every chunk before it not yet read. The
    // upload checked this same stored file, so a row that fails its checks now, or a count of rows
    // other than the upload's, means the file is not what was checked: the import fails there.
    let read = 0;
    const rowsOfChunk = (k: number): ParsedRow[] => {
      let rows: ParsedRow[] = [];
      for (; read <= k; read++) {
        rows = [];
        while (rows.length < chunkSize) {
          const r = file.rows.next();
          if (r.done) break;
          spec.see?.(ctx, r.value);
          rows.push(r.value);
        }
      }
      const expected = Math.min(chunkSize, job.totalRows - k * chunkSize);
      if (rows.length !== expected || (k === chunks - 1 && !file.rows.next().done))
        throw new CsvFileError(msg('jobs.admin.file.unreadable'));
      return rows;
    };
    let next = 0;
    let stopped = false;
    // What stopped the lanes other than a chunk taken by another worker: a file that is not the
    // one checked (the import fails) or any other error (thrown once every lane has stopped, so
    // the job is retried with no chunk of this run still in flight).
    const lanes: { failure?: Error } = {};
    // A few transactions at a time (the database works on them side by side); only the last
    // statement of each, which records its progress, waits for the others.
    const lane = async () => {
      try {
        while (!stopped && next < limit) {
          const ks = todo.slice(next, Math.min(limit, next + perTransaction));
          next += ks.length;
          const rows = ks.flatMap(rowsOfChunk);
          if (!(await runChunks(id, ks, rows, ctx))) stopped = true;
        }
      } catch (err) {
        lanes.failure ??= err instanceof Error ? err : new Error(String(err));
        stopped = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.ceil(limit / perTransaction)) }, lane));
    if (lanes.failure instanceof CsvFileError) return void (await fail(lanes.failure.message));
    if (lanes.failure) throw lanes.failure;
    // Stopped because another worker took a chunk: that worker may already have checked for the
    // end before this one's last chunk committed, so this one checks too (the check is locked).
    if (limit < todo.length) return;
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
