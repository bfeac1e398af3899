import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { importJobColumns } from '#src/platform/jobs/import-job.ts';
import { user } from '#src/platform/identity/tables.ts';

// An existing register imported from CSV: the file's column names, what staff said each column
// holds, and the job's progress and report (see src/lib/import-job.ts). The file itself is kept
// only until the import finishes; an upload never confirmed is deleted after a day.
export const contributorImports = pgTable('contributor_imports', {
  ...importJobColumns(),
  header: jsonb('header').$type<string[]>().notNull().default([]),
  mapping: jsonb('mapping').$type<string[]>().notNull().default([]),
  staffUserId: text('staff_user_id').references(() => user.id, { onDelete: 'set null' }),
});
