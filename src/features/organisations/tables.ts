import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';
import { languageColumn } from '#src/db/columns.ts';

export const organisationStatuses = ['pending', 'approved', 'declined', 'archived'] as const;
export type OrganisationStatus = (typeof organisationStatuses)[number];

// Partner organisations (user-led groups, charities, community groups…) that registered interest.
// Rows are never deleted: declined and archived ones are kept as the history of who asked and what
// was decided. Only pending or approved names must be unique (ignoring case), so a declined or
// archived group can register again.
export const organisations = pgTable(
  'organisations',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    area: text('area').notNull(),
    website: text('website'),
    contactName: text('contact_name').notNull(),
    contactRole: text('contact_role').notNull(),
    contactEmail: text('contact_email').notNull(),
    contactPhone: text('contact_phone'),
    // The language the contact registered in: the description is marked so, and decisions are emailed in it.
    language: languageColumn(),
    status: text('status').$type<OrganisationStatus>().notNull().default('pending'),
    declineReason: text('decline_reason'),
    // Which privacy-notice version the contact agreed to when registering.
    privacyNoticeVersion: text('privacy_notice_version').notNull(),
    // Where the registration came from, for the per-address limit only.
    ipAddress: text('ip_address'),
    decidedByUserId: text('decided_by_user_id').references(() => user.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organisations_live_name_idx')
      .on(sql`lower(${t.name})`)
      .where(sql`${t.status} in ('pending', 'approved')`),
    index('organisations_status_idx').on(t.status),
    index('organisations_ip_created_idx').on(t.ipAddress, t.createdAt),
  ],
);

// Which partner organisations a contributor says they belong to. Deleting the account deletes
// the links; an organisation with members cannot be deleted (it is archived instead).
export const contributorOrganisations = pgTable(
  'contributor_organisations',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organisationId] }), index('contributor_organisations_org_idx').on(t.organisationId)],
);

// When a contributor last answered the "Organisations you belong to" step, even with "None of
// these", so the task list can show it as done.
export const contributorOrganisationAnswers = pgTable('contributor_organisation_answers', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  answeredAt: timestamp('answered_at', { withTimezone: true }).notNull().defaultNow(),
});
