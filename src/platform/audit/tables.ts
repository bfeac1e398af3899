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
  (t) => [
    index('audit_events_actor_idx').on(t.actorUserId),
    index('audit_events_subject_idx').on(t.subjectUserId),
    index('audit_events_at_idx').on(t.at),
  ],
);
