import { integer, jsonb, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

// A CSV import that runs as a background job: the uploaded file waits in the import's own row,
// rows are checked and added in chunks, each chunk in one transaction together with the progress
// it makes, so a crash (or a second worker) can never leave a chunk half-done or done twice, and a
// retry carries on from the first row not yet handled. When it finishes the file is cleared.

// The shape every import table shares (a feature adds its own columns beside these).
export type RejectedRow = { line: number; email: string; reason: string };
export type ParsedRow = { line: number; fields: string[] };
export const importStatuses = ['draft', 'queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];

// Rejections kept for the report and its download; the count is always exact.
export const KEPT_REJECTIONS = 20_000;

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
