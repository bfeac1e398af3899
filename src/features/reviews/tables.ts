import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';

// Document reviews (issue 14; README "Document reviews"): staff commission a review of a report,
// leaflet, web page or the house style guide; invited contributors read it section by section,
// comment and answer questions; staff collate and answer each comment ("you said, we did").

export const reviewKinds = ['research-report', 'leaflet', 'web-page', 'house-style', 'communications', 'other'] as const;
// Where the document came from: Markdown written or pasted in (split into sections by heading), a
// web page's text pasted in, or an uploaded PDF (offered as a download, its text shown where it
// can be read).
export const documentSources = ['markdown', 'web-page', 'pdf'] as const;
// draft: staff are preparing it, nobody is invited yet; open: invitations sent, reviews accepted
// (late ones too) until staff close it; closed: no more reviews, responses may still be written.
export const reviewStates = ['draft', 'open', 'closed'] as const;

export const reviews = pgTable(
  'reviews',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    kind: text('kind', { enum: reviewKinds }).notNull(),
    // What we want from reviewers: Markdown, rendered and sanitised once on save.
    briefMarkdown: text('brief_markdown').notNull().default(''),
    briefHtml: text('brief_html').notNull().default(''),
    source: text('source', { enum: documentSources }).notNull(),
    // An uploaded PDF: a private storage key (never served by /media), its name and size.
    documentKey: text('document_key'),
    documentName: text('document_name'),
    documentBytes: integer('document_bytes'),
    // Where a pasted web page came from, for reviewers to compare.
    sourceUrl: text('source_url'),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    state: text('state', { enum: reviewStates }).notNull().default('draft'),
    // The rate card's activity kind a submitted review is paid by, and staff's estimate of the
    // time it takes (the involvement record's minutes unless the reviewer says otherwise).
    activityKind: text('activity_kind'),
    estimatedMinutes: integer('estimated_minutes').notNull().default(120),
    // How reviewers were found, if through an opportunity or a group (ids their features answer for).
    opportunityId: integer('opportunity_id'),
    groupId: integer('group_id'),
    leadUserId: text('lead_user_id').references(() => user.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    // "You said, we did": a public summary staff may publish once they have responded.
    summaryMarkdown: text('summary_markdown'),
    summaryHtml: text('summary_html'),
    summaryPublishedAt: timestamp('summary_published_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('reviews_state_idx').on(t.state, t.deadline)],
);

// The document, section by section, in order. A PDF has one section per page of extracted text
// (or none, when no text could be read).
export const reviewSections = pgTable(
  'review_sections',
  {
    id: serial('id').primaryKey(),
    reviewId: integer('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    heading: text('heading').notNull(),
    bodyMarkdown: text('body_markdown').notNull().default(''),
    bodyHtml: text('body_html').notNull().default(''),
  },
  (t) => [index('review_sections_review_idx').on(t.reviewId, t.position)],
);

// The opportunity applications' kinds of question, and a rating from 1 to 5 with a label for each.
export const reviewQuestionKinds = ['short-text', 'long-text', 'single-choice', 'multiple-choice', 'yes-no', 'rating'] as const;

export const reviewQuestions = pgTable(
  'review_questions',
  {
    id: serial('id').primaryKey(),
    reviewId: integer('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', { enum: reviewQuestionKinds }).notNull(),
    label: text('label').notNull(),
    hint: text('hint'),
    // Choices, or a rating's five labels (1 to 5).
    options: jsonb('options').$type<string[]>().notNull().default([]),
    required: boolean('required').notNull().default(false),
  },
  (t) => [index('review_questions_review_idx').on(t.reviewId, t.position)],
);

export const reviewerStates = ['invited', 'accepted', 'declined', 'submitted'] as const;
export const reviewerSources = ['register', 'group', 'opportunity'] as const;

// One row per person invited to one review. Deleting the account deletes it and their answers;
// their section comments stay, anonymised, for the organisation's record (ADR 24).
export const reviewReviewers = pgTable(
  'review_reviewers',
  {
    id: serial('id').primaryKey(),
    reviewId: integer('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    state: text('state', { enum: reviewerStates }).notNull().default('invited'),
    source: text('source', { enum: reviewerSources }).notNull().default('register'),
    // The invitation link's secret, as a SHA-256 hash: accepting or declining works signed out.
    tokenHash: text('token_hash').notNull().unique(),
    declineReason: text('decline_reason'),
    // The time the reviewer says it took, in minutes (else staff's estimate is used).
    minutesSpent: integer('minutes_spent'),
    // May the public summary name them? Off unless they say yes.
    nameInSummary: boolean('name_in_summary').notNull().default(false),
    // The language of the emails we send them (from their profile when invited).
    language: text('language').notNull().default('en'),
    invitedBy: text('invited_by').references(() => user.id, { onDelete: 'set null' }),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow(),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    lastSavedAt: timestamp('last_saved_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    // Reminders already sent, by kind ('3-days', '1-day'), so each goes once.
    remindersSent: jsonb('reminders_sent').$type<string[]>().notNull().default([]),
    // When the response to their comments was last emailed to them.
    responseSentAt: timestamp('response_sent_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('review_reviewers_review_user_idx').on(t.reviewId, t.userId), index('review_reviewers_user_idx').on(t.userId)],
);

// A reviewer's answer to a question: text, or the choices and rating as text in `values`.
export const reviewAnswers = pgTable(
  'review_answers',
  {
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => reviewReviewers.id, { onDelete: 'cascade' }),
    questionId: integer('question_id')
      .notNull()
      .references(() => reviewQuestions.id, { onDelete: 'cascade' }),
    text: text('text'),
    values: jsonb('values').$type<string[]>().notNull().default([]),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reviewerId, t.questionId] })],
);

// A reviewer's comment on one section. When the reviewer's account is deleted the comment stays
// with no reviewer (anonymised), with the response to it.
export const reviewComments = pgTable(
  'review_comments',
  {
    id: serial('id').primaryKey(),
    reviewId: integer('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    sectionId: integer('section_id')
      .notNull()
      .references(() => reviewSections.id, { onDelete: 'cascade' }),
    reviewerId: integer('reviewer_id').references(() => reviewReviewers.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('review_comments_reviewer_section_idx').on(t.reviewerId, t.sectionId),
    index('review_comments_review_idx').on(t.reviewId, t.sectionId),
  ],
);

// Staff's answer to one comment: what happened, and a sentence of why.
export const responseOutcomes = ['changed', 'changed-differently', 'not-changed', 'out-of-scope'] as const;

export const reviewResponses = pgTable('review_responses', {
  commentId: integer('comment_id')
    .primaryKey()
    .references(() => reviewComments.id, { onDelete: 'cascade' }),
  outcome: text('outcome', { enum: responseOutcomes }).notNull(),
  reason: text('reason').notNull(),
  respondedBy: text('responded_by').references(() => user.id, { onDelete: 'set null' }),
  respondedAt: timestamp('responded_at', { withTimezone: true }).notNull().defaultNow(),
});

// A reviewer asking for the document in another format, or for more time: staff see and answer it.
export const reviewRequestKinds = ['format', 'more-time'] as const;

export const reviewRequests = pgTable(
  'review_requests',
  {
    id: serial('id').primaryKey(),
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => reviewReviewers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: reviewRequestKinds }).notNull(),
    detail: text('detail').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    handledBy: text('handled_by').references(() => user.id, { onDelete: 'set null' }),
    handledNote: text('handled_note'),
  },
  (t) => [index('review_requests_reviewer_idx').on(t.reviewerId)],
);
