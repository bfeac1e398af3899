import { index, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';

// Consent history: a new row for every agreement or withdrawal, never updated. When an account is
// deleted the rows lose their link to the person (user_id becomes null) and say nothing about them.
export const consentEvents = pgTable(
  'consent_events',
  {
    id: serial('id').primaryKey(),
    userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
    purpose: text('purpose').notNull(),
    action: text('action').notNull(),
    privacyNoticeVersion: text('privacy_notice_version').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    // For consent given before the person was on this site (action 'imported'): how and where they
    // gave it, in the words of the register it came from. The notice version is then ''.
    source: text('source'),
  },
  (t) => [index('consent_events_user_idx').on(t.userId)],
);
