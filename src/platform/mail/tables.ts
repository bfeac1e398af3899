import { boolean, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

// A calendar invitation sent with an email: its METHOD (REQUEST, CANCEL), file name and RFC 5545 text.
export type MailCalendar = { method: string; content: string; fileName: string };

export const mailStatuses = ['queued', 'sent', 'failed'] as const;

// Every email we accept to send, rendered at the moment it was accepted. The row is the promise:
// the queue job only says "try this one now", and a sweeper re-queues rows whose job was lost.
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: serial('id').primaryKey(),
    // Same key, same email: asking twice (a retried request, a replayed event) sends once.
    idempotencyKey: text('idempotency_key').notNull().unique(),
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    status: text('status', { enum: mailStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    messageId: text('message_id'),
    // Set for an email to someone who asked us to forget them: once sent, address and content are erased.
    forgetAfterSend: boolean('forget_after_send').notNull().default(false),
    // A calendar invitation sent with the email (text/calendar, RFC 5545), e.g. a meeting's.
    calendar: jsonb('calendar').$type<MailCalendar>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('mail_messages_status_created_idx').on(t.status, t.createdAt)],
);

// Where mail goes in development when no SMTP_URL is set, so every email journey can be followed.
export const devOutbox = pgTable('dev_outbox', {
  id: serial('id').primaryKey(),
  toAddress: text('to_address').notNull(),
  fromAddress: text('from_address').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  htmlBody: text('html_body').notNull(),
  headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
  // The calendar invitation sent with the email, if any (see mailMessages.calendar).
  calendar: jsonb('calendar').$type<MailCalendar>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
