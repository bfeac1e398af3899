import { boolean, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '#src/platform/identity/tables.ts';
import { translationsColumn } from '#src/db/columns.ts';

// Opportunities to get involved, the applications people make to them, and staff selection.
// One capability (docs: README "Opportunities"), three areas: writing and publishing (service.ts),
// applying (applications-*.ts), selecting (selection-*.ts).

export const opportunityTypes = [
  'peer-review',
  'lived-experience-group',
  'co-design',
  'communications-review',
  'event',
  'associate-role',
  'survey',
  'other',
] as const;
export const opportunityStatuses = ['draft', 'open', 'closed', 'selection-done', 'archived'] as const;
export const opportunityModes = ['online', 'in-person', 'both'] as const;
export const feeUnits = ['hour', 'half-day', 'day', 'task'] as const;
export const expenseKinds = ['travel', 'subsistence', 'carer-costs', 'childcare', 'accommodation', 'technology'] as const;
export const supportKinds = ['training', 'named-contact', 'pre-meetings', 'technology-help', 'carer-costs', 'buddy'] as const;

export const opportunities = pgTable(
  'opportunities',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    type: text('type', { enum: opportunityTypes }).notNull(),
    status: text('status', { enum: opportunityStatuses }).notNull().default('draft'),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    // Prose fields are Markdown, rendered and sanitised once on save (as stories are).
    roleMarkdown: text('role_markdown').notNull().default(''),
    roleHtml: text('role_html').notNull().default(''),
    // What is involved: the nature, duration and frequency of the work (NIHR asks for all three).
    involvedMarkdown: text('involved_markdown').notNull().default(''),
    involvedHtml: text('involved_html').notNull().default(''),
    timeCommitment: text('time_commitment').notNull().default(''),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    // Known meeting dates (ISO yyyy-mm-dd), in order.
    meetingDates: jsonb('meeting_dates').$type<string[]>().notNull().default([]),
    mode: text('mode', { enum: opportunityModes }).notNull().default('online'),
    venueAddress: text('venue_address'),
    venueAccessibility: text('venue_accessibility'),
    // One of the profile's region options (profile/schema.ts regionOptions), null for "anywhere".
    region: text('region'),
    // Paid at `feePence` per `feeUnit`, or unpaid (feePence null). Once payments exist the rate
    // card's id goes beside it.
    paid: boolean('paid').notNull().default(true),
    feePence: integer('fee_pence'),
    feeUnit: text('fee_unit', { enum: feeUnits }),
    expensesCovered: jsonb('expenses_covered').$type<string[]>().notNull().default([]),
    paymentNotes: text('payment_notes'),
    support: jsonb('support').$type<string[]>().notNull().default([]),
    supportNotes: text('support_notes'),
    // Who we are looking for: lived experience terms (ids of the profile's terms; read through the
    // profile service, never joined), free text, and "we particularly welcome applications from …".
    soughtTermIds: jsonb('sought_term_ids').$type<number[]>().notNull().default([]),
    lookingForMarkdown: text('looking_for_markdown').notNull().default(''),
    lookingForHtml: text('looking_for_html').notNull().default(''),
    welcomeFrom: text('welcome_from'),
    places: integer('places').notNull().default(1),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    howToApply: text('how_to_apply'),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    // The member of staff told about applications (a daily digest when there are many).
    contactUserId: text('contact_user_id').references(() => user.id, { onDelete: 'set null' }),
    accessibleFormats: text('accessible_formats'),
    // Two reviewers score without seeing each other's scores until both have scored.
    blindScoring: boolean('blind_scoring').notNull().default(false),
    // Other languages' title, summary and prose (translationsColumn, docs/architecture.md "Languages").
    translations: translationsColumn(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    selectionDoneAt: timestamp('selection_done_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    // When the retention rule erased this opportunity's applications, and the anonymous counts kept.
    applicationsErasedAt: timestamp('applications_erased_at', { withTimezone: true }),
    erasedCounts: jsonb('erased_counts').$type<Record<string, number>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('opportunities_status_closes_idx').on(t.status, t.closesAt),
    index('opportunities_published_idx').on(t.publishedAt),
    index('opportunities_type_idx').on(t.type),
    index('opportunities_sought_terms_idx').using('gin', t.soughtTermIds),
  ],
);

export const questionKinds = ['short-text', 'long-text', 'single-choice', 'multiple-choice', 'yes-no'] as const;

// The opportunity's own questions, asked in `position` order.
export const opportunityQuestions = pgTable(
  'opportunity_questions',
  {
    id: serial('id').primaryKey(),
    opportunityId: integer('opportunity_id')
      .notNull()
      .references(() => opportunities.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', { enum: questionKinds }).notNull(),
    label: text('label').notNull(),
    hint: text('hint'),
    options: jsonb('options').$type<string[]>().notNull().default([]),
    required: boolean('required').notNull().default(false),
    translations: translationsColumn(),
  },
  (t) => [index('opportunity_questions_opportunity_idx').on(t.opportunityId, t.position)],
);

export const applicationStates = ['draft', 'submitted', 'withdrawn'] as const;
// Staff's decision, separate from the applicant's own state; 'new' until someone looks.
export const selectionStates = ['new', 'longlisted', 'shortlisted', 'selected', 'waitlisted', 'not-selected'] as const;
export const offerResponses = ['accepted', 'declined', 'expired'] as const;

// One application per person per opportunity. Erased with the account (cascade) and by the
// retention rule some months after the opportunity is archived.
export const applications = pgTable(
  'applications',
  {
    id: serial('id').primaryKey(),
    opportunityId: integer('opportunity_id')
      .notNull()
      .references(() => opportunities.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    state: text('state', { enum: applicationStates }).notNull().default('draft'),
    selection: text('selection', { enum: selectionStates }).notNull().default('new'),
    // The applicant's copy of their access needs and communication preferences for this
    // opportunity (pre-filled from the profile, edited on the form).
    accessNeeds: jsonb('access_needs').$type<string[]>().notNull().default([]),
    accessNeedsNotes: text('access_needs_notes'),
    contactMethods: jsonb('contact_methods').$type<string[]>().notNull().default([]),
    formats: jsonb('formats').$type<string[]>().notNull().default([]),
    anythingElse: text('anything_else'),
    // Personal feedback written by staff for the outcome email (those not selected).
    feedback: text('feedback'),
    outcomeSentAt: timestamp('outcome_sent_at', { withTimezone: true }),
    // A waitlisted person offered a place: accept/decline by signed link until it expires.
    offeredAt: timestamp('offered_at', { withTimezone: true }),
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    offerResponse: text('offer_response', { enum: offerResponses }),
    offerRespondedAt: timestamp('offer_responded_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    // The language the applicant used, for the emails sent later.
    language: text('language').notNull().default('en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('applications_opportunity_user_idx').on(t.opportunityId, t.userId),
    index('applications_user_idx').on(t.userId),
    index('applications_opportunity_state_idx').on(t.opportunityId, t.state, t.selection),
  ],
);

// Answers to the opportunity's questions: text, or the chosen option(s).
export const applicationAnswers = pgTable(
  'application_answers',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    questionId: integer('question_id')
      .notNull()
      .references(() => opportunityQuestions.id, { onDelete: 'cascade' }),
    value: jsonb('value').$type<string | string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.questionId] })],
);

// Each staff reviewer's score (1 to 5) and notes on one application.
export const applicationReviews = pgTable(
  'application_reviews',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    reviewerId: text('reviewer_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    score: integer('score'),
    notes: text('notes'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.reviewerId] })],
);

// People staff invited to apply (from the suggested matches). Audited as well.
export const opportunityInvitations = pgTable(
  'opportunity_invitations',
  {
    opportunityId: integer('opportunity_id')
      .notNull()
      .references(() => opportunities.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    invitedBy: text('invited_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.opportunityId, t.userId] }), index('opportunity_invitations_user_idx').on(t.userId)],
);

// Contributors who asked to be emailed new opportunities that match their profile, at most daily.
export const opportunityAlerts = pgTable(
  'opportunity_alerts',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => user.id, { onDelete: 'cascade' }),
    // Opportunities published after this were not yet considered for this person.
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('opportunity_alerts_last_sent_idx').on(t.lastSentAt)],
);

// Contributors who asked staff not to invite them to apply (invitations are on by default for
// people who joined the network to get involved). No row: staff may invite them.
export const opportunityContactOptouts = pgTable('opportunity_contact_optouts', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

export const opportunityEmailChoiceKinds = ['alerts', 'invitations'] as const;
export const opportunityEmailChoiceWays = ['page', 'email-link'] as const;

// Every change a person made to their opportunity emails (alerts on or off, invitations allowed or
// not), never updated: they see the history in "Download my data". Goes with the account.
export const opportunityEmailChoices = pgTable(
  'opportunity_email_choices',
  {
    id: serial('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    choice: text('choice', { enum: opportunityEmailChoiceKinds }).notNull(),
    turnedOn: boolean('turned_on').notNull(),
    via: text('via', { enum: opportunityEmailChoiceWays }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('opportunity_email_choices_user_idx').on(t.userId, t.at)],
);
