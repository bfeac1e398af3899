import { boolean, customType, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';

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
  completedSteps: jsonb('completed_steps').$type<Record<string, string>>().notNull().default({}),
  // How they came onto the register: 'joined' (through /join) or 'imported' (from an existing register).
  source: text('source').notNull().default('joined'),
  // When they last took part in involvement work (set by imports now, by involvement features later).
  lastInvolvedAt: timestamp('last_involved_at', { withTimezone: true }),
  // Full-text search over names and free text for staff search; kept up to date by a database trigger.
  searchVector: tsvector('search_vector'),
  // Copies of the account's name (lower case, for sorting), join date and whether it is a contributor
  // account, kept by the same triggers, so staff search reads one table (see migrations *_people_*).
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

// Someone who asked to join: what they agreed to waits here until they follow the emailed link,
// so consent is only recorded for an address that has been proved. Keyed by a hash of the token.
export const joinRequests = pgTable(
  'contributor_join_requests',
  {
    tokenHash: text('token_hash').primaryKey(),
    email: text('email').notNull(),
    privacyNoticeVersion: text('privacy_notice_version').notNull(),
    consentedAt: timestamp('consented_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('contributor_join_requests_email_idx').on(t.email)],
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
