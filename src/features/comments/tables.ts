import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';
import { languageColumn } from '#src/db/columns.ts';

export const commentStatuses = ['pending', 'approved', 'rejected', 'spam'] as const;
export type CommentStatus = (typeof commentStatuses)[number];

export const comments = pgTable(
  'comments',
  {
    id: serial('id').primaryKey(),
    // The page the comment is on: a kind that some feature registers as commentable ('story'),
    // and that page's id. No foreign key: the owning feature removes a page's comments when it
    // deletes the page (comments.removeAllOn).
    targetType: text('target_type').notNull(),
    targetId: integer('target_id').notNull(),
    parentId: integer('parent_id').references((): AnyPgColumn => comments.id, { onDelete: 'cascade' }),
    authorName: text('author_name').notNull(),
    authorJobTitle: text('author_job_title'),
    authorOrganisation: text('author_organisation'),
    // Never shown publicly; used for moderation, blocking and (later) notifications.
    authorEmail: text('author_email').notNull(),
    body: text('body').notNull(),
    // The language of the page it was written on: its text is marked so, and emails about it use it.
    language: languageColumn(),
    status: text('status', { enum: commentStatuses }).notNull().default('pending'),
    // Marks a reply from the organisation ("Staff" tag). Kept apart from staff_user_id so a
    // staff reply stays marked after the account is deleted, and demo replies need no account.
    authorIsStaff: boolean('author_is_staff').notNull().default(false),
    staffUserId: text('staff_user_id').references(() => user.id, { onDelete: 'set null' }),
    // The contributor account that wrote it while signed in; when that account is deleted the
    // comment's author details are replaced with "Former contributor".
    contributorUserId: text('contributor_user_id').references(() => user.id, { onDelete: 'set null' }),
    notifyReplies: boolean('notify_replies').notNull().default(false),
    ipAddress: text('ip_address'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }),
    moderatedBy: text('moderated_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('comments_target_status_idx').on(t.targetType, t.targetId, t.status, t.createdAt),
    index('comments_status_created_idx').on(t.status, t.createdAt),
    index('comments_email_idx').on(t.authorEmail),
    index('comments_ip_created_idx').on(t.ipAddress, t.createdAt),
    index('comments_parent_idx').on(t.parentId),
    index('comments_contributor_idx').on(t.contributorUserId),
    // Staff search the moderation lists by the comment's words or the commenter's name; the query
    // repeats this expression exactly (repository.ts).
    index('comments_search_idx').using('gin', sql`to_tsvector('simple', ${t.authorName} || ' ' || ${t.body})`),
  ],
);

export const commentReports = pgTable(
  'comment_reports',
  {
    id: serial('id').primaryKey(),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    details: text('details'),
    ipAddress: text('ip_address'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('comment_reports_open_idx').on(t.resolvedAt, t.createdAt),
    index('comment_reports_comment_idx').on(t.commentId),
    index('comment_reports_ip_created_idx').on(t.ipAddress, t.createdAt),
  ],
);

export const blockedSenders = pgTable(
  'blocked_senders',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: ['email', 'ip'] }).notNull(),
    value: text('value').notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('blocked_senders_kind_value_idx').on(t.kind, t.value)],
);
