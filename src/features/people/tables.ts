import { date, index, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { importJobColumns } from '#src/platform/jobs/import-table.ts';
import { user } from '#src/platform/identity/tables.ts';

// An existing register imported from CSV: the file's column names, what staff said each column
// holds, and the job's progress and report (see src/platform/jobs/import-runner.ts). The file itself is kept
// only until the import finishes; an upload never confirmed is deleted after a day.
export const contributorImports = pgTable('contributor_imports', {
  ...importJobColumns(),
  header: jsonb('header').$type<string[]>().notNull().default([]),
  mapping: jsonb('mapping').$type<string[]>().notNull().default([]),
  staffUserId: text('staff_user_id').references(() => user.id, { onDelete: 'set null' }),
});

// Staff notes about a contributor, for involvement staff only. The person sees that notes exist
// (and when) in "Download my data"; deleting the account deletes them. A note outlives its author.
export const contributorNotes = pgTable(
  'contributor_notes',
  {
    id: serial('id').primaryKey(),
    subjectUserId: text('subject_user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    authorUserId: text('author_user_id').references(() => user.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contributor_notes_subject_idx').on(t.subjectUserId, t.createdAt)],
);

// That staff contacted a person, and how: shown on their record as a history. The note is short
// and about the contact ("left a voicemail about the spring group"), not a place for case notes.
export const contactMethods = ['email', 'phone', 'letter', 'in-person'] as const;
export type ContactMethod = (typeof contactMethods)[number];
export const contributorContacts = pgTable(
  'contributor_contacts',
  {
    id: serial('id').primaryKey(),
    subjectUserId: text('subject_user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    staffUserId: text('staff_user_id').references(() => user.id, { onDelete: 'set null' }),
    contactedOn: date('contacted_on', { mode: 'string' }).notNull(),
    method: text('method', { enum: contactMethods }).notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contributor_contacts_subject_idx').on(t.subjectUserId, t.contactedOn)],
);
