import { boolean, customType, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';
import { translationsColumn } from '#src/db/columns.ts';

// PostgreSQL's full-text search document type (drizzle-orm has no built-in for it).
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

// A contributor's profile, one row per account. Deleting the account deletes the row.
// completedSteps maps a profile step's name to when it was last saved, so later steps
// (availability, access needs, payment) add a name, not a column.
export const contributorProfiles = pgTable('contributor_profiles', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  preferredName: text('preferred_name'),
  phone: text('phone'),
  contactMethods: jsonb('contact_methods').$type<string[]>().notNull().default([]),
  formats: jsonb('formats').$type<string[]>().notNull().default([]),
  interpreterLanguage: text('interpreter_language'),
  // The language of our website and emails they chose (null until they choose one).
  language: text('language'),
  postalAddress: text('postal_address'),
  livedExperienceNotes: text('lived_experience_notes'),
  interests: jsonb('interests').$type<string[]>().notNull().default([]),
  availableTimes: jsonb('available_times').$type<string[]>().notNull().default([]),
  availableWays: jsonb('available_ways').$type<string[]>().notNull().default([]),
  region: text('region'),
  accessNeeds: jsonb('access_needs').$type<string[]>().notNull().default([]),
  accessNeedsNotes: text('access_needs_notes'),
  paymentPreference: text('payment_preference'),
  publicSectorEmployee: text('public_sector_employee'),
  // Whether they receive state benefits ('yes', 'no', 'prefer-not-to-say'): before a first paid
  // claim of a tax year, someone who does is shown advice and asked to confirm (issue 13).
  receivesBenefits: text('receives_benefits'),
  completedSteps: jsonb('completed_steps').$type<Record<string, string>>().notNull().default({}),
  // Steps the person skipped (the Skip button, or a save with nothing chosen): step key → when.
  // Kept for every feature's steps, so each step can be skipped the same way.
  skippedSteps: jsonb('skipped_steps').$type<Record<string, string>>().notNull().default({}),
  // How they came onto the register: 'joined' (through /join) or 'imported' (from an existing register).
  source: text('source').notNull().default('joined'),
  // When they last took part in involvement work (set by imports now, by involvement features later).
  lastInvolvedAt: timestamp('last_involved_at', { withTimezone: true }),
  // Full-text search over names and free text for staff search; kept up to date by a database trigger
  // (or, for imported profiles, written by the bulk insert with the trigger's own function: migration 0013).
  searchVector: tsvector('search_vector'),
  // Copies of the account's name (as written, and lower case for sorting), email address, join
  // date and whether it is a contributor account, kept by the same triggers (migrations
  // *_people_search and *_profile_copies), so staff search and export read this table alone.
  accountName: text('account_name'),
  accountEmail: text('account_email'),
  sortName: text('sort_name'),
  joinedAt: timestamp('joined_at', { withTimezone: true }),
  listed: boolean('listed').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// The organisation's own words for lived experience, edited by admins. Terms are archived, not
// deleted, so what people chose earlier keeps its meaning.
export const livedExperienceTerms = pgTable(
  'lived_experience_terms',
  {
    id: serial('id').primaryKey(),
    category: text('category').notNull(),
    label: text('label').notNull(),
    translations: translationsColumn(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lived_experience_terms_label_idx').on(t.category, t.label)],
);

export const contributorLivedExperience = pgTable(
  'contributor_lived_experience',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    termId: integer('term_id')
      .notNull()
      .references(() => livedExperienceTerms.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.termId] }), index('contributor_lived_experience_term_idx').on(t.termId)],
);

// Optional equality monitoring, kept apart from the profile: no staff page or export shows it for
// one person; it is only ever reported as counts of 5 or more (see diversity.ts).
export const diversityMonitoring = pgTable('diversity_monitoring', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  answers: jsonb('answers').$type<Record<string, string>>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
