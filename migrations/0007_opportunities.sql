CREATE TABLE "application_answers" (
	"application_id" integer NOT NULL,
	"question_id" integer NOT NULL,
	"value" jsonb NOT NULL,
	CONSTRAINT "application_answers_application_id_question_id_pk" PRIMARY KEY("application_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "application_reviews" (
	"application_id" integer NOT NULL,
	"reviewer_id" text NOT NULL,
	"score" integer,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_reviews_application_id_reviewer_id_pk" PRIMARY KEY("application_id","reviewer_id")
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" serial PRIMARY KEY NOT NULL,
	"opportunity_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"selection" text DEFAULT 'new' NOT NULL,
	"access_needs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"access_needs_notes" text,
	"contact_methods" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"formats" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"anything_else" text,
	"feedback" text,
	"outcome_sent_at" timestamp with time zone,
	"offered_at" timestamp with time zone,
	"offer_expires_at" timestamp with time zone,
	"offer_response" text,
	"offer_responded_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"language" text DEFAULT 'en' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"role_markdown" text DEFAULT '' NOT NULL,
	"role_html" text DEFAULT '' NOT NULL,
	"involved_markdown" text DEFAULT '' NOT NULL,
	"involved_html" text DEFAULT '' NOT NULL,
	"time_commitment" text DEFAULT '' NOT NULL,
	"starts_on" date,
	"ends_on" date,
	"meeting_dates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mode" text DEFAULT 'online' NOT NULL,
	"venue_address" text,
	"venue_accessibility" text,
	"region" text,
	"paid" boolean DEFAULT true NOT NULL,
	"fee_pence" integer,
	"fee_unit" text,
	"expenses_covered" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"payment_notes" text,
	"support" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"support_notes" text,
	"sought_term_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"looking_for_markdown" text DEFAULT '' NOT NULL,
	"looking_for_html" text DEFAULT '' NOT NULL,
	"welcome_from" text,
	"places" integer DEFAULT 1 NOT NULL,
	"closes_at" timestamp with time zone,
	"how_to_apply" text,
	"contact_name" text,
	"contact_email" text,
	"contact_user_id" text,
	"accessible_formats" text,
	"blind_scoring" boolean DEFAULT false NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"selection_done_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"applications_erased_at" timestamp with time zone,
	"erased_counts" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunities_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "opportunity_alerts" (
	"user_id" text PRIMARY KEY NOT NULL,
	"last_sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunity_invitations" (
	"opportunity_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"invited_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunity_invitations_opportunity_id_user_id_pk" PRIMARY KEY("opportunity_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "opportunity_questions" (
	"id" serial PRIMARY KEY NOT NULL,
	"opportunity_id" integer NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"hint" text,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "application_answers" ADD CONSTRAINT "application_answers_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_answers" ADD CONSTRAINT "application_answers_question_id_opportunity_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."opportunity_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_reviews" ADD CONSTRAINT "application_reviews_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_reviews" ADD CONSTRAINT "application_reviews_reviewer_id_user_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_contact_user_id_user_id_fk" FOREIGN KEY ("contact_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_alerts" ADD CONSTRAINT "opportunity_alerts_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_invitations" ADD CONSTRAINT "opportunity_invitations_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_invitations" ADD CONSTRAINT "opportunity_invitations_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_invitations" ADD CONSTRAINT "opportunity_invitations_invited_by_user_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_questions" ADD CONSTRAINT "opportunity_questions_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_opportunity_user_idx" ON "applications" USING btree ("opportunity_id","user_id");--> statement-breakpoint
CREATE INDEX "applications_user_idx" ON "applications" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "applications_opportunity_state_idx" ON "applications" USING btree ("opportunity_id","state","selection");--> statement-breakpoint
CREATE INDEX "opportunities_status_closes_idx" ON "opportunities" USING btree ("status","closes_at");--> statement-breakpoint
CREATE INDEX "opportunities_published_idx" ON "opportunities" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "opportunities_type_idx" ON "opportunities" USING btree ("type");--> statement-breakpoint
CREATE INDEX "opportunities_sought_terms_idx" ON "opportunities" USING gin ("sought_term_ids");--> statement-breakpoint
CREATE INDEX "opportunity_alerts_last_sent_idx" ON "opportunity_alerts" USING btree ("last_sent_at");--> statement-breakpoint
CREATE INDEX "opportunity_invitations_user_idx" ON "opportunity_invitations" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "opportunity_questions_opportunity_idx" ON "opportunity_questions" USING btree ("opportunity_id","position");