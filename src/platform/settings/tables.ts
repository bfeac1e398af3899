import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Organisation-wide settings (name, welcome text, comment moderation policy), one row per key.
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
