import { boolean, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';
import { translationsColumn } from '#src/db/columns.ts';

// Groups and meetings (issue 12; README "Groups and meetings"). One capability, several areas:
// groups and their members (groups-*.ts, members-*.ts), documents and announcements, meetings
// with registration, waiting list and access requests (meetings-*.ts), calendars and reminders
// (calendar-*.ts), attendance and minutes.

export const groupKinds = ['lived-experience', 'co-design', 'advisory-panel', 'reading-group', 'internal-working', 'other'] as const;
// Public: a page anyone can read with the purpose and how many members (names only of members who
// chose to be shown). Private: only members and staff know it exists. Internal working groups are
// always private and staff-only.
export const groupVisibilities = ['public', 'private'] as const;
export const memberRoles = ['member', 'co-chair', 'chair', 'staff-lead', 'observer'] as const;
// How someone came to be a member, for the record and the audit trail.
export const memberSources = ['register', 'opportunity', 'invitation', 'staff'] as const;

export const groups = pgTable(
  'groups',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    kind: text('kind', { enum: groupKinds }).notNull(),
    name: text('name').notNull(),
    // Markdown, rendered and sanitised once on save (as stories are).
    purposeMarkdown: text('purpose_markdown').notNull().default(''),
    purposeHtml: text('purpose_html').notNull().default(''),
    visibility: text('visibility', { enum: groupVisibilities }).notNull().default('private'),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    // The member of staff who leads the group (also listed among the members as staff lead).
    leadUserId: text('lead_user_id').references(() => user.id, { onDelete: 'set null' }),
    // The opportunity whose selected applicants formed the group, if any (an id the opportunities
    // service answers for; no foreign key across features).
    opportunityId: integer('opportunity_id'),
    translations: translationsColumn(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('groups_visibility_idx').on(t.visibility, t.archivedAt)],
);

// Who is in a group. Leaving deletes the row (the audit trail and attendance keep the history).
export const groupMembers = pgTable(
  'group_members',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: text('role', { enum: memberRoles }).notNull().default('member'),
    source: text('source', { enum: memberSources }).notNull().default('staff'),
    // What the member chose to show: their name on the group's public page (off by default), and
    // their email address to the other members (off by default). Staff always see both.
    showOnPublicPage: boolean('show_on_public_page').notNull().default(false),
    shareEmailWithMembers: boolean('share_email_with_members').notNull().default(false),
    addedBy: text('added_by').references(() => user.id, { onDelete: 'set null' }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user_idx').on(t.userId)],
);

// An emailed invitation to join: accepted by signing in (or joining) through the link. The token is
// kept only as its SHA-256 hash.
export const groupInvitations = pgTable(
  'group_invitations',
  {
    id: serial('id').primaryKey(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: memberRoles }).notNull().default('member'),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: text('invited_by').references(() => user.id, { onDelete: 'set null' }),
    acceptedBy: text('accepted_by').references(() => user.id, { onDelete: 'cascade' }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('group_invitations_group_idx').on(t.groupId), index('group_invitations_email_idx').on(t.email)],
);

// Staff announcements to a group's members, emailed when posted.
export const groupAnnouncements = pgTable(
  'group_announcements',
  {
    id: serial('id').primaryKey(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    bodyMarkdown: text('body_markdown').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    emailedTo: integer('emailed_to').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('group_announcements_group_idx').on(t.groupId, t.createdAt)],
);

// Files shared with a group's members (papers for a meeting when meetingId is set). The bytes are
// in the storage module under `storageKey`; served only to members and staff, never from /media.
export const groupDocuments = pgTable(
  'group_documents',
  {
    id: serial('id').primaryKey(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    meetingId: integer('meeting_id').references(() => meetings.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    storageKey: text('storage_key').notNull(),
    // A large print version of the same paper, for members who asked for large print.
    largePrint: boolean('large_print').notNull().default(false),
    uploadedBy: text('uploaded_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('group_documents_group_idx').on(t.groupId, t.createdAt)],
);

export const meetingModes = ['in-person', 'online', 'hybrid'] as const;
export const meetingRegistrationKinds = ['open', 'members'] as const;
export const meetingStatuses = ['scheduled', 'cancelled'] as const;
export const venueAccessOptions = ['step-free', 'hearing-loop', 'accessible-toilet', 'quiet-room', 'parking'] as const;

// A meeting of a group, or an open event when groupId is null. Times are stored in UTC and shown
// in Europe/London time. `sequence` goes up with every change people are told about (RFC 5545).
export const meetings = pgTable(
  'meetings',
  {
    id: serial('id').primaryKey(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    agendaMarkdown: text('agenda_markdown').notNull().default(''),
    agendaHtml: text('agenda_html').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    mode: text('mode', { enum: meetingModes }).notNull().default('in-person'),
    venueName: text('venue_name'),
    venueAddress: text('venue_address'),
    venueAccess: jsonb('venue_access').$type<string[]>().notNull().default([]),
    venueNotes: text('venue_notes'),
    // Shown only to people registered, from `joinLinkOpensMinutes` before the start.
    joinUrl: text('join_url'),
    joinLinkOpensMinutes: integer('join_link_opens_minutes').notNull().default(60),
    // Null: no limit.
    capacity: integer('capacity'),
    registration: text('registration', { enum: meetingRegistrationKinds }).notNull().default('members'),
    registrationClosesAt: timestamp('registration_closes_at', { withTimezone: true }),
    // Days before the start that reminders go out (a week and a day unless staff change it).
    reminderDays: jsonb('reminder_days').$type<number[]>().notNull().default([7, 1]),
    // The date papers go to people who asked for them early (a week before unless staff change it).
    papersEarlyOn: date('papers_early_on', { mode: 'string' }),
    status: text('status', { enum: meetingStatuses }).notNull().default('scheduled'),
    sequence: integer('sequence').notNull().default(0),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    // The notes of the meeting: published to members, and to everyone when `minutesPublic`.
    minutesMarkdown: text('minutes_markdown'),
    minutesHtml: text('minutes_html'),
    minutesPublishedAt: timestamp('minutes_published_at', { withTimezone: true }),
    minutesPublic: boolean('minutes_public').notNull().default(false),
    attendanceRecordedAt: timestamp('attendance_recorded_at', { withTimezone: true }),
    translations: translationsColumn(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('meetings_group_starts_idx').on(t.groupId, t.startsAt), index('meetings_starts_idx').on(t.startsAt)],
);

export const registrationStatuses = ['registered', 'waitlisted', 'cancelled'] as const;

// One row per person per meeting. The waiting list is everyone 'waitlisted', oldest `listedAt`
// first; a freed place goes to the first of them in the same transaction as the cancellation.
export const meetingRegistrations = pgTable(
  'meeting_registrations',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    status: text('status', { enum: registrationStatuses }).notNull(),
    listedAt: timestamp('listed_at', { withTimezone: true }).notNull().defaultNow(),
    promotedAt: timestamp('promoted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    // The person's language, for the emails sent later (reminders, changes).
    language: text('language').notNull().default('en'),
    // Papers: the person asked for large print, or for papers early (from their access requests).
    largePrint: boolean('large_print').notNull().default(false),
    papersEarly: boolean('papers_early').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_registrations_meeting_user_idx').on(t.meetingId, t.userId),
    index('meeting_registrations_meeting_status_idx').on(t.meetingId, t.status, t.listedAt),
    index('meeting_registrations_user_idx').on(t.userId),
  ],
);

// What a person asked for to take part in one meeting, one row per need (BSL interpreter, large
// print papers, a carer attends, dietary needs …), so staff can mark each one arranged and the
// person is told. Erased a set time after the meeting (retention); the person's profile keeps its
// own copy only if they chose to.
export const meetingAccessRequests = pgTable(
  'meeting_access_requests',
  {
    id: serial('id').primaryKey(),
    registrationId: integer('registration_id')
      .notNull()
      .references(() => meetingRegistrations.id, { onDelete: 'cascade' }),
    need: text('need').notNull(),
    detail: text('detail'),
    arrangedAt: timestamp('arranged_at', { withTimezone: true }),
    arrangedBy: text('arranged_by').references(() => user.id, { onDelete: 'set null' }),
    arrangedNote: text('arranged_note'),
    toldAt: timestamp('told_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('meeting_access_requests_registration_idx').on(t.registrationId)],
);

export const attendanceRoles = ['member', 'co-chair', 'chair', 'observer', 'guest', 'speaker'] as const;

// Who attended, with hours: the involvement record of issue 13 is made from each row (person,
// activity, date, hours, role). A walk-in without an account is a name only.
export const meetingAttendance = pgTable(
  'meeting_attendance',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => user.id, { onDelete: 'cascade' }),
    walkInName: text('walk_in_name'),
    role: text('role', { enum: attendanceRoles }).notNull().default('member'),
    attendedOn: date('attended_on', { mode: 'string' }).notNull(),
    minutes: integer('minutes').notNull(),
    walkIn: boolean('walk_in').notNull().default(false),
    recordedBy: text('recorded_by').references(() => user.id, { onDelete: 'set null' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('meeting_attendance_meeting_user_idx').on(t.meetingId, t.userId), index('meeting_attendance_user_idx').on(t.userId)],
);

// A contributor's personal calendar feed: the address holds a secret token; making a new one
// stops the old address working.
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  token: text('token').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
