import { index, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

// Who did what to whose data, and when. Ids are kept without foreign keys so the trail outlives
// deleted accounts; details must never hold the personal data itself.
export const auditEvents = pgTable(
  'audit_events',
  {
    id: serial('id').primaryKey(),
    actorUserId: text('actor_user_id'),
    action: text('action').notNull(),
    subjectUserId: text('subject_user_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The log is read newest first, narrowed by who, whom or what: each index ends in `at` so a
  // filtered page is an index range read in order, not a sort of every matching row.
  (t) => [
    index('audit_events_actor_at_idx').on(t.actorUserId, t.at),
    index('audit_events_subject_at_idx').on(t.subjectUserId, t.at),
    index('audit_events_action_at_idx').on(t.action, t.at),
    index('audit_events_at_idx').on(t.at),
  ],
);
