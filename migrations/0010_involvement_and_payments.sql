CREATE TABLE "involvement_claim_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"claim_id" integer NOT NULL,
	"status" text NOT NULL,
	"actor_user_id" text,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "involvement_claim_expenses" (
	"id" serial PRIMARY KEY NOT NULL,
	"claim_id" integer NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"miles" integer,
	"rate_id" integer,
	"amount_pence" integer NOT NULL,
	"receipt_key" text,
	"receipt_name" text,
	"receipt_type" text,
	"receipt_bytes" integer
);
--> statement-breakpoint
CREATE TABLE "involvement_claims" (
	"id" serial PRIMARY KEY NOT NULL,
	"record_id" integer,
	"payee_id" integer NOT NULL,
	"user_id" text,
	"entered_by" text,
	"activity_title" text NOT NULL,
	"activity_kind" text,
	"activity_on" date NOT NULL,
	"group_name" text,
	"lead_user_id" text,
	"fee_choice" text DEFAULT 'fee' NOT NULL,
	"fee_rate_id" integer,
	"fee_quantity" integer DEFAULT 0 NOT NULL,
	"fee_pence" integer DEFAULT 0 NOT NULL,
	"expenses_pence" integer DEFAULT 0 NOT NULL,
	"total_pence" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"approved_by" text,
	"export_id" integer,
	"paid_on" date,
	"payment_reference" text,
	"decision_note" text,
	"keep_until" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "involvement_finance_exports" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claim_count" integer NOT NULL,
	"total_pence" integer NOT NULL,
	"paid_on" date,
	"payment_reference" text,
	"marked_paid_by" text,
	"marked_paid_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "involvement_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"source" text NOT NULL,
	"source_id" integer,
	"activity_kind" text,
	"title" text NOT NULL,
	"path" text,
	"group_id" integer,
	"group_name" text,
	"occurred_on" date NOT NULL,
	"minutes" integer DEFAULT 0 NOT NULL,
	"units" integer DEFAULT 1 NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"difference" text,
	"lead_user_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "involvement_payees" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text,
	"reference" text NOT NULL,
	"name" text NOT NULL,
	"bank_details_encrypted" text,
	"bank_details_updated_at" timestamp with time zone,
	"anonymised_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "involvement_payees_user_id_unique" UNIQUE("user_id"),
	CONSTRAINT "involvement_payees_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "involvement_payment_declarations" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"tax_year" text NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"confirmed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "involvement_rates" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"amount_pence" integer NOT NULL,
	"effective_from" date NOT NULL,
	"note" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "receives_benefits" text;--> statement-breakpoint
ALTER TABLE "involvement_claim_events" ADD CONSTRAINT "involvement_claim_events_claim_id_involvement_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."involvement_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claim_events" ADD CONSTRAINT "involvement_claim_events_actor_user_id_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claim_expenses" ADD CONSTRAINT "involvement_claim_expenses_claim_id_involvement_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."involvement_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claim_expenses" ADD CONSTRAINT "involvement_claim_expenses_rate_id_involvement_rates_id_fk" FOREIGN KEY ("rate_id") REFERENCES "public"."involvement_rates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_record_id_involvement_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."involvement_records"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_payee_id_involvement_payees_id_fk" FOREIGN KEY ("payee_id") REFERENCES "public"."involvement_payees"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_entered_by_user_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_lead_user_id_user_id_fk" FOREIGN KEY ("lead_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_fee_rate_id_involvement_rates_id_fk" FOREIGN KEY ("fee_rate_id") REFERENCES "public"."involvement_rates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_approved_by_user_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_export_id_involvement_finance_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."involvement_finance_exports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_finance_exports" ADD CONSTRAINT "involvement_finance_exports_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_finance_exports" ADD CONSTRAINT "involvement_finance_exports_marked_paid_by_user_id_fk" FOREIGN KEY ("marked_paid_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_records" ADD CONSTRAINT "involvement_records_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_records" ADD CONSTRAINT "involvement_records_lead_user_id_user_id_fk" FOREIGN KEY ("lead_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_records" ADD CONSTRAINT "involvement_records_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_payees" ADD CONSTRAINT "involvement_payees_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_payment_declarations" ADD CONSTRAINT "involvement_payment_declarations_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_rates" ADD CONSTRAINT "involvement_rates_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "involvement_claim_events_claim_idx" ON "involvement_claim_events" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "involvement_claim_expenses_claim_idx" ON "involvement_claim_expenses" USING btree ("claim_id");--> statement-breakpoint
CREATE UNIQUE INDEX "involvement_claims_record_idx" ON "involvement_claims" USING btree ("record_id") WHERE "involvement_claims"."record_id" is not null;--> statement-breakpoint
CREATE INDEX "involvement_claims_user_idx" ON "involvement_claims" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "involvement_claims_status_idx" ON "involvement_claims" USING btree ("status","export_id");--> statement-breakpoint
CREATE INDEX "involvement_claims_payee_idx" ON "involvement_claims" USING btree ("payee_id","activity_on");--> statement-breakpoint
CREATE INDEX "involvement_records_user_idx" ON "involvement_records" USING btree ("user_id","occurred_on");--> statement-breakpoint
CREATE UNIQUE INDEX "involvement_records_source_user_idx" ON "involvement_records" USING btree ("source","source_id","user_id") WHERE "involvement_records"."source_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "involvement_payment_declarations_user_year_idx" ON "involvement_payment_declarations" USING btree ("user_id","tax_year");--> statement-breakpoint
CREATE UNIQUE INDEX "involvement_rates_kind_from_idx" ON "involvement_rates" USING btree ("kind","effective_from");--> statement-breakpoint
-- Written by hand: money is whole pence and never negative, whatever code writes it.
ALTER TABLE "involvement_rates" ADD CONSTRAINT "involvement_rates_amount_check" CHECK ("amount_pence" >= 0);--> statement-breakpoint
ALTER TABLE "involvement_claim_expenses" ADD CONSTRAINT "involvement_claim_expenses_amount_check" CHECK ("amount_pence" >= 0);--> statement-breakpoint
ALTER TABLE "involvement_claims" ADD CONSTRAINT "involvement_claims_amounts_check" CHECK ("fee_pence" >= 0 AND "expenses_pence" >= 0 AND "total_pence" = "fee_pence" + "expenses_pence");
