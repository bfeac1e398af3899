import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';
import { translationsColumn } from '#src/db/columns.ts';

// Holding the organisation to account (issue 15; README "Commitments, you said we did, and the
// involvement standards"): public commitments with progress, the "you said, we did" log, and
// self-assessment against involvement standards kept as data.

// ---------------------------------------------------------------------------------------------
// Commitments

// How a status counts in the overview's "on track / at risk / done" figures. Admins name the
// statuses; each belongs to one of these.
export const statusCategories = ['not-started', 'on-track', 'at-risk', 'done', 'dropped'] as const;
export type StatusCategory = (typeof statusCategories)[number];

// The statuses admins define, each with the progress a commitment is given when it moves there
// (staff can then change it), and whether a reason is required (dropped).
export const commitmentStatuses = pgTable(
  'commitment_statuses',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull().unique(),
    name: text('name').notNull(),
    category: text('category', { enum: statusCategories }).notNull(),
    defaultProgress: integer('default_progress'),
    requiresReason: boolean('requires_reason').notNull().default(false),
    position: integer('position').notNull().default(0),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    translations: translationsColumn(),
  },
  (t) => [check('commitment_statuses_progress_range', sql`${t.defaultProgress} is null or ${t.defaultProgress} between 0 and 100`)],
);

// How a parent's progress follows its children: the plain average, or weighted by each child's
// `weight`.
export const rollupKinds = ['average', 'weighted'] as const;
export type RollupKind = (typeof rollupKinds)[number];

export const commitments = pgTable(
  'commitments',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    // A child commitment's parent; a parent's progress is its children's (never typed by hand).
    parentId: integer('parent_id').references((): AnyPgColumn => commitments.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    // What we promised and why: Markdown, rendered and sanitised once on save.
    promiseMarkdown: text('promise_markdown').notNull().default(''),
    promiseHtml: text('promise_html').notNull().default(''),
    whyMarkdown: text('why_markdown').notNull().default(''),
    whyHtml: text('why_html').notNull().default(''),
    // Who is responsible: a role ("Head of Involvement") or a named member of staff, or both.
    responsibleRole: text('responsible_role'),
    responsibleUserId: text('responsible_user_id').references(() => user.id, { onDelete: 'set null' }),
    // Where the promise was made ("our four-year strategy"), with a link.
    sourceTitle: text('source_title'),
    sourceUrl: text('source_url'),
    startsOn: date('starts_on', { mode: 'string' }),
    dueOn: date('due_on', { mode: 'string' }),
    statusId: integer('status_id')
      .notNull()
      .references(() => commitmentStatuses.id, { onDelete: 'restrict' }),
    // 0–100. With children, it is their roll-up, kept here so lists need no recursion.
    progress: integer('progress').notNull().default(0),
    rollup: text('rollup', { enum: rollupKinds }).notNull().default('average'),
    // This commitment's weight in its parent's weighted roll-up.
    weight: integer('weight').notNull().default(1),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    // Required when the status requires a reason (dropped).
    statusReason: text('status_reason'),
    position: integer('position').notNull().default(0),
    commentsOpen: boolean('comments_open').notNull().default(true),
    // Null: a draft only staff see.
    publishedAt: timestamp('published_at', { withTimezone: true }),
    translations: translationsColumn(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('commitments_parent_idx').on(t.parentId, t.position),
    check('commitments_progress_range', sql`${t.progress} between 0 and 100`),
    check('commitments_weight_positive', sql`${t.weight} between 1 and 100`),
    check('commitments_dates_order', sql`${t.dueOn} is null or ${t.startsOn} is null or ${t.dueOn} >= ${t.startsOn}`),
    check('commitments_not_own_parent', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
  ],
);

// Dated milestones: planned, and done when they are.
export const commitmentMilestones = pgTable(
  'commitment_milestones',
  {
    id: serial('id').primaryKey(),
    commitmentId: integer('commitment_id')
      .notNull()
      .references(() => commitments.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    plannedOn: date('planned_on', { mode: 'string' }).notNull(),
    doneOn: date('done_on', { mode: 'string' }),
    translations: translationsColumn(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('commitment_milestones_commitment_idx').on(t.commitmentId, t.plannedOn)],
);

// Dated updates written by staff; publishing one emails the commitment's followers once.
export const commitmentUpdates = pgTable(
  'commitment_updates',
  {
    id: serial('id').primaryKey(),
    commitmentId: integer('commitment_id')
      .notNull()
      .references(() => commitments.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    bodyMarkdown: text('body_markdown').notNull().default(''),
    bodyHtml: text('body_html').notNull().default(''),
    translations: translationsColumn(),
    authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('commitment_updates_commitment_idx').on(t.commitmentId, t.publishedAt),
    index('commitment_updates_published_idx').on(t.publishedAt),
  ],
);

// Every change of status or progress, never updated or deleted: the page's timeline.
// `cause` says whether staff changed it or a child's change rolled up.
export const historyCauses = ['staff', 'rollup', 'created'] as const;
export const commitmentHistory = pgTable(
  'commitment_history',
  {
    id: serial('id').primaryKey(),
    commitmentId: integer('commitment_id')
      .notNull()
      .references(() => commitments.id, { onDelete: 'cascade' }),
    cause: text('cause', { enum: historyCauses }).notNull(),
    fromStatusId: integer('from_status_id').references(() => commitmentStatuses.id, { onDelete: 'set null' }),
    toStatusId: integer('to_status_id').references(() => commitmentStatuses.id, { onDelete: 'set null' }),
    fromProgress: integer('from_progress'),
    toProgress: integer('to_progress'),
    reason: text('reason'),
    changedBy: text('changed_by').references(() => user.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('commitment_history_commitment_idx').on(t.commitmentId, t.at)],
);

// ---------------------------------------------------------------------------------------------
// "You said, we did"

// What people said: at a meeting, in a review, in comments on a story, in a survey, or described.
export const saidSources = ['meeting', 'review', 'story-comments', 'survey', 'other'] as const;
export type SaidSource = (typeof saidSources)[number];

export const saidDidEntries = pgTable(
  'said_did_entries',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    youSaidMarkdown: text('you_said_markdown').notNull(),
    youSaidHtml: text('you_said_html').notNull(),
    weDidMarkdown: text('we_did_markdown').notNull(),
    weDidHtml: text('we_did_html').notNull(),
    source: text('source', { enum: saidSources }).notNull(),
    // The meeting, review or story in the feature that owns it (no foreign key across features),
    // with its title and address as they were when the entry was written.
    sourceId: integer('source_id'),
    sourceTitle: text('source_title'),
    sourcePath: text('source_path'),
    // For the public filters: the group (its id and name, from the groups feature) and a theme.
    groupId: integer('group_id'),
    groupName: text('group_name'),
    theme: text('theme'),
    commitmentId: integer('commitment_id').references(() => commitments.id, { onDelete: 'set null' }),
    // When the change happened (the list's year filter follows it).
    happenedOn: date('happened_on', { mode: 'string' }).notNull(),
    // People thanked by name, only when each of them agreed (staff confirm it on the form).
    creditedNames: text('credited_names'),
    translations: translationsColumn(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('said_did_entries_happened_idx').on(t.happenedOn),
    index('said_did_entries_source_idx').on(t.source, t.sourceId),
    index('said_did_entries_commitment_idx').on(t.commitmentId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Involvement standards

// A framework of standards (4Pi, the UK Standards for Public Involvement, a later edition …):
// data an admin can add to, never code.
export const standardFrameworks = pgTable('standard_frameworks', {
  id: serial('id').primaryKey(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  edition: text('edition'),
  publisher: text('publisher'),
  sourceUrl: text('source_url'),
  descriptionMarkdown: text('description_markdown').notNull().default(''),
  descriptionHtml: text('description_html').notNull().default(''),
  translations: translationsColumn(),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// One standard of a framework, with reflective questions in our own words, and the measures the
// platform computes for it (keys of the evidence catalogue in evidence-measures.ts).
export const standards = pgTable(
  'standards',
  {
    id: serial('id').primaryKey(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => standardFrameworks.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    summary: text('summary').notNull().default(''),
    questions: jsonb('questions').$type<string[]>().notNull().default([]),
    measures: jsonb('measures').$type<string[]>().notNull().default([]),
    position: integer('position').notNull().default(0),
    translations: translationsColumn(),
  },
  (t) => [uniqueIndex('standards_framework_key_idx').on(t.frameworkId, t.key)],
);

// The rating scale every round uses, in order.
export const ratings = ['not-yet', 'developing', 'established', 'excellent'] as const;
export type Rating = (typeof ratings)[number];

// draft: staff are preparing it; open: staff (and invited contributors) are assessing;
// completed: the ratings are final and the computed measures were kept as they were that day.
export const roundStates = ['draft', 'open', 'completed'] as const;

export const assessmentRounds = pgTable(
  'assessment_rounds',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => standardFrameworks.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    state: text('state', { enum: roundStates }).notNull().default('draft'),
    // The period the round looks back over (the computed measures count it).
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    // Contributors invited to rate and comment until this date.
    contributorsCloseOn: date('contributors_close_on', { mode: 'string' }),
    summaryMarkdown: text('summary_markdown').notNull().default(''),
    summaryHtml: text('summary_html').notNull().default(''),
    translations: translationsColumn(),
    // Null: the public summary is not published.
    publishedAt: timestamp('published_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('assessment_rounds_period_order', sql`${t.periodEnd} >= ${t.periodStart}`)],
);

// The staff view of one standard in one round.
export const assessmentRatings = pgTable(
  'assessment_ratings',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => assessmentRounds.id, { onDelete: 'cascade' }),
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id, { onDelete: 'cascade' }),
    rating: text('rating', { enum: ratings }),
    narrativeMarkdown: text('narrative_markdown').notNull().default(''),
    narrativeHtml: text('narrative_html').notNull().default(''),
    // The computed measures as they were when the round was completed (key → figures).
    measures: jsonb('measures').$type<Record<string, unknown>>(),
    updatedBy: text('updated_by').references(() => user.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('assessment_ratings_round_standard_idx').on(t.roundId, t.standardId)],
);

// Evidence for a standard in a round: a link to something on the platform (an opportunity, a
// group, a meeting, a review, a you-said-we-did entry, a commitment, a report) or an uploaded
// file (kept in private storage).
export const evidenceKinds = ['link', 'file'] as const;
export const assessmentEvidence = pgTable(
  'assessment_evidence',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => assessmentRounds.id, { onDelete: 'cascade' }),
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: evidenceKinds }).notNull(),
    title: text('title').notNull(),
    // A link: a path on this site ("/opportunities/…") or an address elsewhere.
    href: text('href'),
    fileKey: text('file_key'),
    fileName: text('file_name'),
    fileBytes: integer('file_bytes'),
    contentType: text('content_type'),
    // Shown on the public summary (staff choose; uploaded files never are).
    isPublic: boolean('is_public').notNull().default(true),
    addedBy: text('added_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assessment_evidence_round_idx').on(t.roundId, t.standardId)],
);

// Actions to improve, for a standard in a round; one can become a commitment in one step.
export const assessmentActions = pgTable(
  'assessment_actions',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => assessmentRounds.id, { onDelete: 'cascade' }),
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    commitmentId: integer('commitment_id').references(() => commitments.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assessment_actions_round_idx').on(t.roundId, t.standardId)],
);

// Contributors invited to co-assess a round: their invitation and when they sent their view.
export const assessmentParticipants = pgTable(
  'assessment_participants',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => assessmentRounds.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    language: text('language').notNull().default('en'),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('assessment_participants_round_user_idx').on(t.roundId, t.userId)],
);

// A contributor's rating and comment on one standard. Deleting the account deletes them; the
// published summary shows only counts and comments without names.
export const assessmentContributorViews = pgTable(
  'assessment_contributor_views',
  {
    id: serial('id').primaryKey(),
    roundId: integer('round_id')
      .notNull()
      .references(() => assessmentRounds.id, { onDelete: 'cascade' }),
    standardId: integer('standard_id')
      .notNull()
      .references(() => standards.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    rating: text('rating', { enum: ratings }),
    comment: text('comment'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('assessment_contributor_views_idx').on(t.roundId, t.standardId, t.userId)],
);
