import { date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';
import { importJobColumns } from '#src/platform/jobs/import-table.ts';
import { languageColumn, translationsColumn } from '#src/db/columns.ts';

// What people can choose to hear about. Archived topics leave the sign-up form but keep their
// subscribers, so history and "all subscribers" sends stay whole.
export const newsletterTopics = pgTable('newsletter_topics', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  translations: translationsColumn(),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const subscriberStatuses = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;
export type SubscriberStatus = (typeof subscriberStatuses)[number];

// One row per email address (stored lower-case). Only 'active' people are ever sent newsletters.
export const newsletterSubscribers = pgTable(
  'newsletter_subscribers',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull().unique(),
    name: text('name'),
    // The language they signed up in or chose: confirmation and newsletters are sent in it.
    language: languageColumn(),
    status: text('status', { enum: subscriberStatuses }).notNull().default('pending'),
    // Double opt-in: the hash of the single-use token in the confirmation email (never the token
    // itself), when it stops working, and the topics the person asked for until they confirm.
    confirmTokenHash: text('confirm_token_hash').unique(),
    confirmExpiresAt: timestamp('confirm_expires_at', { withTimezone: true }),
    confirmSentAt: timestamp('confirm_sent_at', { withTimezone: true }),
    pendingTopicIds: jsonb('pending_topic_ids').$type<number[]>(),
    consentedAt: timestamp('consented_at', { withTimezone: true }),
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('newsletter_subscribers_status_idx').on(t.status, t.id)],
);

export const newsletterSubscriberTopics = pgTable(
  'newsletter_subscriber_topics',
  {
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => newsletterSubscribers.id, { onDelete: 'cascade' }),
    topicId: integer('topic_id')
      .notNull()
      .references(() => newsletterTopics.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.topicId] }), index('newsletter_subscriber_topics_topic_idx').on(t.topicId)],
);

export const consentActions = [
  'subscribed',
  'confirmed',
  'topics-changed',
  'unsubscribed',
  'imported',
  'added-by-staff',
  'bounced',
  'complained',
] as const;
export type ConsentAction = (typeof consentActions)[number];

// The consent record: every change is a new row, never an update, so the history is kept whole.
// Topic names are copied in because topics can be renamed later.
export const newsletterConsentEvents = pgTable(
  'newsletter_consent_events',
  {
    id: serial('id').primaryKey(),
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => newsletterSubscribers.id, { onDelete: 'cascade' }),
    action: text('action', { enum: consentActions }).notNull(),
    topics: jsonb('topics').$type<string[]>().notNull().default([]),
    privacyNoticeVersion: text('privacy_notice_version'),
    source: text('source').notNull(),
    detail: text('detail'),
    staffUserId: text('staff_user_id').references(() => user.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('newsletter_consent_events_subscriber_idx').on(t.subscriberId, t.at)],
);

export const newsletterStatuses = ['draft', 'sending', 'paused', 'sent'] as const;
export type NewsletterStatus = (typeof newsletterStatuses)[number];

export const newsletters = pgTable('newsletters', {
  id: serial('id').primaryKey(),
  // Given when sending starts: the newsletter's web address, /newsletters/<slug>.
  slug: text('slug').unique(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  // Other languages' subject and body: subscribers who chose that language get that version.
  translations: translationsColumn(),
  // Empty means every active subscriber; otherwise people subscribed to any of these topics.
  topicIds: jsonb('topic_ids').$type<number[]>().notNull().default([]),
  status: text('status', { enum: newsletterStatuses }).notNull().default('draft'),
  recipientCount: integer('recipient_count'),
  createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
  sentBy: text('sent_by').references(() => user.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  sendStartedAt: timestamp('send_started_at', { withTimezone: true }),
  completedAt: timestamp('completed_at', { withTimezone: true }),
});

export const recipientStatuses = ['pending', 'sent', 'failed', 'skipped'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

// The recipient list, snapshotted when sending starts. A row is marked sent the moment the SMTP
// server accepts its message, so a crash repeats at most the messages in flight at that instant.
export const newsletterRecipients = pgTable(
  'newsletter_recipients',
  {
    id: serial('id').primaryKey(),
    newsletterId: integer('newsletter_id')
      .notNull()
      .references(() => newsletters.id, { onDelete: 'cascade' }),
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => newsletterSubscribers.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name'),
    status: text('status', { enum: recipientStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('newsletter_recipients_unique').on(t.newsletterId, t.subscriberId),
    index('newsletter_recipients_progress_idx').on(t.newsletterId, t.status, t.id),
  ],
);

// Each CSV import and what became of every row, so staff can see (and show) what was done. It runs
// as a background job (src/platform/jobs/import-runner.ts); the file is kept here only until it has finished.
export type { RejectedRow } from '#src/platform/jobs/import-table.ts';
export const newsletterImports = pgTable('newsletter_imports', {
  ...importJobColumns(),
  staffUserId: text('staff_user_id').references(() => user.id, { onDelete: 'set null' }),
});

// Subscribers staff deleted (their address erased), counted per day: how many, never who, so the
// list's size over time still adds up without keeping anything about the people.
export const newsletterSubscriberDeletions = pgTable('newsletter_subscriber_deletions', {
  day: date('day', { mode: 'string' }).primaryKey(),
  count: integer('count').notNull().default(0),
});

export const followStatuses = ['pending', 'active', 'unsubscribed'] as const;
export type FollowStatus = (typeof followStatuses)[number];

// Following one page's updates by email (a commitment's, say: any manifest's `followable`), with
// the newsletter's double opt-in and one-click unsubscribe, and no account needed. One row per
// address per page; the page's title and address are kept as they were when the person asked, for
// the confirmation page. Only 'active' followers are ever sent an update.
export const newsletterFollows = pgTable(
  'newsletter_follows',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull(),
    language: languageColumn(),
    targetType: text('target_type').notNull(),
    targetId: integer('target_id').notNull(),
    targetTitle: text('target_title').notNull(),
    targetPath: text('target_path').notNull(),
    status: text('status', { enum: followStatuses }).notNull().default('pending'),
    confirmTokenHash: text('confirm_token_hash').unique(),
    confirmExpiresAt: timestamp('confirm_expires_at', { withTimezone: true }),
    confirmSentAt: timestamp('confirm_sent_at', { withTimezone: true }),
    consentedAt: timestamp('consented_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('newsletter_follows_email_target_idx').on(t.email, t.targetType, t.targetId),
    index('newsletter_follows_target_idx').on(t.targetType, t.targetId, t.status),
  ],
);
