import { date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { user } from '#src/platform/identity/tables.ts';

// Involvement records, the rate card, claims for fees and expenses, and what finance is sent
// (issue 13; README "Involvement, fees and expenses"). Money is always whole pence (integers).

// What an activity is paid by: a rate card row's unit. A mileage rate is per mile.
export const rateUnits = ['hour', 'half-day', 'day', 'task', 'mile'] as const;
export type RateUnit = (typeof rateUnits)[number];

// Where a record came from: attendance recorded at a meeting, a task for an opportunity, a
// document review (issue 14), or staff writing it by hand ("spoke at our conference").
export const recordSources = ['meeting', 'opportunity', 'review', 'manual'] as const;
export type RecordSource = (typeof recordSources)[number];

// One piece of involvement by one person. Deleting the account deletes their records; a claim
// keeps its own copy of what it needs (the activity's title and date) for the accounts.
export const involvementRecords = pgTable(
  'involvement_records',
  {
    id: serial('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    source: text('source', { enum: recordSources }).notNull(),
    // The id of the meeting, opportunity or review in the feature that owns it (no foreign key
    // across features); null for a record written by hand.
    sourceId: integer('source_id'),
    // The rate card's activity kind this is paid by ('meeting', 'workshop' …); null when unpaid.
    activityKind: text('activity_kind'),
    title: text('title').notNull(),
    // Where the activity can be seen (a meeting's page), if anywhere.
    path: text('path'),
    groupId: integer('group_id'),
    groupName: text('group_name'),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    // Time given, in minutes, for an hourly rate; units (half days, days, tasks) otherwise.
    minutes: integer('minutes').notNull().default(0),
    units: integer('units').notNull().default(1),
    role: text('role').notNull().default('member'),
    // "What difference it made": written by staff, shown to the person.
    difference: text('difference'),
    // The member of staff who approves claims for it (the group's staff lead, say).
    leadUserId: text('lead_user_id').references(() => user.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('involvement_records_user_idx').on(t.userId, t.occurredOn),
    uniqueIndex('involvement_records_source_user_idx')
      .on(t.source, t.sourceId, t.userId)
      .where(sql`${t.sourceId} is not null`),
  ],
);

// The rate card: what an activity kind pays, from a date. A change is a new row with a later
// date, so a claim always prices its activity by the row in force on the day it happened.
export const rates = pgTable(
  'involvement_rates',
  {
    id: serial('id').primaryKey(),
    // 'meeting', 'workshop', 'review', 'mileage' …: the key records and claims name.
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    unit: text('unit', { enum: rateUnits }).notNull(),
    amountPence: integer('amount_pence').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    // Where the figure came from ("Example, based on NIHR's guidance of …").
    note: text('note'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('involvement_rates_kind_from_idx').on(t.kind, t.effectiveFrom)],
);

// Who is paid, under a reference finance can reconcile. When the person deletes their account the
// row stays (if claims must be kept for the accounts) with the account and bank details removed.
export const payees = pgTable('involvement_payees', {
  id: serial('id').primaryKey(),
  userId: text('user_id')
    .unique()
    .references(() => user.id, { onDelete: 'set null' }),
  reference: text('reference').notNull().unique(),
  // The name to pay, copied when the first claim is made; replaced by the reference on deletion.
  name: text('name').notNull(),
  // Only when the organisation collects bank details (a setting): AES-256-GCM with BANK_DETAILS_KEY.
  bankDetailsEncrypted: text('bank_details_encrypted'),
  bankDetailsUpdatedAt: timestamp('bank_details_updated_at', { withTimezone: true }),
  anonymisedAt: timestamp('anonymised_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// A batch of approved claims sent to finance as a CSV, later marked paid in one go.
export const financeExports = pgTable('involvement_finance_exports', {
  id: serial('id').primaryKey(),
  createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  claimCount: integer('claim_count').notNull(),
  totalPence: integer('total_pence').notNull(),
  paidOn: date('paid_on', { mode: 'string' }),
  paymentReference: text('payment_reference'),
  markedPaidBy: text('marked_paid_by').references(() => user.id, { onDelete: 'set null' }),
  markedPaidAt: timestamp('marked_paid_at', { withTimezone: true }),
});

export const feeChoices = ['fee', 'vouchers', 'declined'] as const;
export type FeeChoice = (typeof feeChoices)[number];
export const claimStatuses = ['draft', 'submitted', 'returned', 'approved', 'exported', 'paid', 'rejected'] as const;
export type ClaimStatus = (typeof claimStatuses)[number];
// Claims the organisation must keep for its accounts once the person has gone.
export const keptForAccounts: ClaimStatus[] = ['approved', 'exported', 'paid'];

// One claim per involvement record: the fee (or vouchers, or none) and expenses.
export const claims = pgTable(
  'involvement_claims',
  {
    id: serial('id').primaryKey(),
    recordId: integer('record_id').references(() => involvementRecords.id, { onDelete: 'set null' }),
    payeeId: integer('payee_id')
      .notNull()
      .references(() => payees.id, { onDelete: 'restrict' }),
    // The claimant while they have an account (null once it is deleted: the payee row remains).
    userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
    // Staff who entered it on the person's behalf (null when the person did).
    enteredBy: text('entered_by').references(() => user.id, { onDelete: 'set null' }),
    // A copy of the activity, so the accounts read the same after the record is gone.
    activityTitle: text('activity_title').notNull(),
    activityKind: text('activity_kind'),
    activityOn: date('activity_on', { mode: 'string' }).notNull(),
    groupName: text('group_name'),
    leadUserId: text('lead_user_id').references(() => user.id, { onDelete: 'set null' }),
    feeChoice: text('fee_choice', { enum: feeChoices }).notNull().default('fee'),
    // The rate row used and what it gave: reproducible from the rate card and the record.
    feeRateId: integer('fee_rate_id').references(() => rates.id, { onDelete: 'restrict' }),
    feeQuantity: integer('fee_quantity').notNull().default(0),
    feePence: integer('fee_pence').notNull().default(0),
    expensesPence: integer('expenses_pence').notNull().default(0),
    totalPence: integer('total_pence').notNull().default(0),
    status: text('status', { enum: claimStatuses }).notNull().default('draft'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: text('approved_by').references(() => user.id, { onDelete: 'set null' }),
    exportId: integer('export_id').references(() => financeExports.id, { onDelete: 'set null' }),
    paidOn: date('paid_on', { mode: 'string' }),
    paymentReference: text('payment_reference'),
    // Why it was rejected, or what to change when returned.
    decisionNote: text('decision_note'),
    // For an account that was deleted: the kept claim is erased after this date.
    keepUntil: date('keep_until', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('involvement_claims_record_idx')
      .on(t.recordId)
      .where(sql`${t.recordId} is not null`),
    index('involvement_claims_user_idx').on(t.userId),
    index('involvement_claims_status_idx').on(t.status, t.exportId),
    index('involvement_claims_payee_idx').on(t.payeeId, t.activityOn),
  ],
);

export const expenseKinds = ['mileage', 'public-transport', 'parking', 'meals', 'overnight', 'care', 'other'] as const;
export type ExpenseKind = (typeof expenseKinds)[number];

// A claim's expenses. Mileage is computed (miles × the mileage rate on the activity's date); the
// rest are amounts the person paid, with a receipt where the kind needs one.
export const claimExpenses = pgTable(
  'involvement_claim_expenses',
  {
    id: serial('id').primaryKey(),
    claimId: integer('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: expenseKinds }).notNull(),
    description: text('description').notNull().default(''),
    miles: integer('miles'),
    rateId: integer('rate_id').references(() => rates.id, { onDelete: 'restrict' }),
    amountPence: integer('amount_pence').notNull(),
    // A private storage key (never served by /media): only the claimant and finance staff see it.
    receiptKey: text('receipt_key'),
    receiptName: text('receipt_name'),
    receiptType: text('receipt_type'),
    receiptBytes: integer('receipt_bytes'),
  },
  (t) => [index('involvement_claim_expenses_claim_idx').on(t.claimId)],
);

// Every step of a claim, for its history, the emails and how long payment takes.
export const claimEvents = pgTable(
  'involvement_claim_events',
  {
    id: serial('id').primaryKey(),
    claimId: integer('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    status: text('status', { enum: claimStatuses }).notNull(),
    actorUserId: text('actor_user_id').references(() => user.id, { onDelete: 'set null' }),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('involvement_claim_events_claim_idx').on(t.claimId)],
);

// A person's answers before their first paid claim of a tax year: that they read the benefits
// advice and still want payment, and the questions for public-sector employees.
export const paymentDeclarations = pgTable(
  'involvement_payment_declarations',
  {
    id: serial('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    // '2026-27'
    taxYear: text('tax_year').notNull(),
    answers: jsonb('answers').$type<Record<string, string>>().notNull().default({}),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('involvement_payment_declarations_user_year_idx').on(t.userId, t.taxYear)],
);
