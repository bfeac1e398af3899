CREATE TABLE "assessment_actions" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"standard_id" integer NOT NULL,
	"text" text NOT NULL,
	"due_on" date,
	"commitment_id" integer,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_contributor_views" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"standard_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"rating" text,
	"comment" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_evidence" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"standard_id" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"href" text,
	"file_key" text,
	"file_name" text,
	"file_bytes" integer,
	"content_type" text,
	"is_public" boolean DEFAULT true NOT NULL,
	"added_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_participants" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assessment_ratings" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"standard_id" integer NOT NULL,
	"rating" text,
	"narrative_markdown" text DEFAULT '' NOT NULL,
	"narrative_html" text DEFAULT '' NOT NULL,
	"measures" jsonb,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"framework_id" integer NOT NULL,
	"title" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"contributors_close_on" date,
	"summary_markdown" text DEFAULT '' NOT NULL,
	"summary_html" text DEFAULT '' NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_rounds_slug_unique" UNIQUE("slug"),
	CONSTRAINT "assessment_rounds_period_order" CHECK ("assessment_rounds"."period_end" >= "assessment_rounds"."period_start")
);
--> statement-breakpoint
CREATE TABLE "commitment_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"commitment_id" integer NOT NULL,
	"cause" text NOT NULL,
	"from_status_id" integer,
	"to_status_id" integer,
	"from_progress" integer,
	"to_progress" integer,
	"reason" text,
	"changed_by" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitment_milestones" (
	"id" serial PRIMARY KEY NOT NULL,
	"commitment_id" integer NOT NULL,
	"title" text NOT NULL,
	"planned_on" date NOT NULL,
	"done_on" date,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitment_statuses" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"default_progress" integer,
	"requires_reason" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "commitment_statuses_key_unique" UNIQUE("key"),
	CONSTRAINT "commitment_statuses_progress_range" CHECK ("commitment_statuses"."default_progress" is null or "commitment_statuses"."default_progress" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "commitment_updates" (
	"id" serial PRIMARY KEY NOT NULL,
	"commitment_id" integer NOT NULL,
	"title" text NOT NULL,
	"body_markdown" text DEFAULT '' NOT NULL,
	"body_html" text DEFAULT '' NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"author_id" text,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitments" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"parent_id" integer,
	"title" text NOT NULL,
	"promise_markdown" text DEFAULT '' NOT NULL,
	"promise_html" text DEFAULT '' NOT NULL,
	"why_markdown" text DEFAULT '' NOT NULL,
	"why_html" text DEFAULT '' NOT NULL,
	"responsible_role" text,
	"responsible_user_id" text,
	"source_title" text,
	"source_url" text,
	"starts_on" date,
	"due_on" date,
	"status_id" integer NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"rollup" text DEFAULT 'average' NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status_reason" text,
	"position" integer DEFAULT 0 NOT NULL,
	"comments_open" boolean DEFAULT true NOT NULL,
	"published_at" timestamp with time zone,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commitments_slug_unique" UNIQUE("slug"),
	CONSTRAINT "commitments_progress_range" CHECK ("commitments"."progress" between 0 and 100),
	CONSTRAINT "commitments_weight_positive" CHECK ("commitments"."weight" between 1 and 100),
	CONSTRAINT "commitments_dates_order" CHECK ("commitments"."due_on" is null or "commitments"."starts_on" is null or "commitments"."due_on" >= "commitments"."starts_on"),
	CONSTRAINT "commitments_not_own_parent" CHECK ("commitments"."parent_id" is null or "commitments"."parent_id" <> "commitments"."id")
);
--> statement-breakpoint
CREATE TABLE "said_did_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"you_said_markdown" text NOT NULL,
	"you_said_html" text NOT NULL,
	"we_did_markdown" text NOT NULL,
	"we_did_html" text NOT NULL,
	"source" text NOT NULL,
	"source_id" integer,
	"source_title" text,
	"source_path" text,
	"group_id" integer,
	"group_name" text,
	"theme" text,
	"commitment_id" integer,
	"happened_on" date NOT NULL,
	"credited_names" text,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "said_did_entries_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "standard_frameworks" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"edition" text,
	"publisher" text,
	"source_url" text,
	"description_markdown" text DEFAULT '' NOT NULL,
	"description_html" text DEFAULT '' NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "standard_frameworks_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "standards" (
	"id" serial PRIMARY KEY NOT NULL,
	"framework_id" integer NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"measures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"translations" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "newsletter_follows" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"target_type" text NOT NULL,
	"target_id" integer NOT NULL,
	"target_title" text NOT NULL,
	"target_path" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"confirm_token_hash" text,
	"confirm_expires_at" timestamp with time zone,
	"confirm_sent_at" timestamp with time zone,
	"consented_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_follows_confirm_token_hash_unique" UNIQUE("confirm_token_hash")
);
--> statement-breakpoint
ALTER TABLE "assessment_actions" ADD CONSTRAINT "assessment_actions_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_actions" ADD CONSTRAINT "assessment_actions_standard_id_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."standards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_actions" ADD CONSTRAINT "assessment_actions_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_actions" ADD CONSTRAINT "assessment_actions_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_contributor_views" ADD CONSTRAINT "assessment_contributor_views_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_contributor_views" ADD CONSTRAINT "assessment_contributor_views_standard_id_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."standards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_contributor_views" ADD CONSTRAINT "assessment_contributor_views_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_evidence" ADD CONSTRAINT "assessment_evidence_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_evidence" ADD CONSTRAINT "assessment_evidence_standard_id_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."standards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_evidence" ADD CONSTRAINT "assessment_evidence_added_by_user_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_participants" ADD CONSTRAINT "assessment_participants_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_participants" ADD CONSTRAINT "assessment_participants_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_ratings" ADD CONSTRAINT "assessment_ratings_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_ratings" ADD CONSTRAINT "assessment_ratings_standard_id_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."standards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_ratings" ADD CONSTRAINT "assessment_ratings_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_rounds" ADD CONSTRAINT "assessment_rounds_framework_id_standard_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."standard_frameworks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_rounds" ADD CONSTRAINT "assessment_rounds_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_history" ADD CONSTRAINT "commitment_history_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_history" ADD CONSTRAINT "commitment_history_from_status_id_commitment_statuses_id_fk" FOREIGN KEY ("from_status_id") REFERENCES "public"."commitment_statuses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_history" ADD CONSTRAINT "commitment_history_to_status_id_commitment_statuses_id_fk" FOREIGN KEY ("to_status_id") REFERENCES "public"."commitment_statuses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_history" ADD CONSTRAINT "commitment_history_changed_by_user_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_milestones" ADD CONSTRAINT "commitment_milestones_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_updates" ADD CONSTRAINT "commitment_updates_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_updates" ADD CONSTRAINT "commitment_updates_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_parent_id_commitments_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."commitments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_responsible_user_id_user_id_fk" FOREIGN KEY ("responsible_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_status_id_commitment_statuses_id_fk" FOREIGN KEY ("status_id") REFERENCES "public"."commitment_statuses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "said_did_entries" ADD CONSTRAINT "said_did_entries_commitment_id_commitments_id_fk" FOREIGN KEY ("commitment_id") REFERENCES "public"."commitments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "said_did_entries" ADD CONSTRAINT "said_did_entries_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "standards" ADD CONSTRAINT "standards_framework_id_standard_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."standard_frameworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_actions_round_idx" ON "assessment_actions" USING btree ("round_id","standard_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_contributor_views_idx" ON "assessment_contributor_views" USING btree ("round_id","standard_id","user_id");--> statement-breakpoint
CREATE INDEX "assessment_evidence_round_idx" ON "assessment_evidence" USING btree ("round_id","standard_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_participants_round_user_idx" ON "assessment_participants" USING btree ("round_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_ratings_round_standard_idx" ON "assessment_ratings" USING btree ("round_id","standard_id");--> statement-breakpoint
CREATE INDEX "commitment_history_commitment_idx" ON "commitment_history" USING btree ("commitment_id","at");--> statement-breakpoint
CREATE INDEX "commitment_milestones_commitment_idx" ON "commitment_milestones" USING btree ("commitment_id","planned_on");--> statement-breakpoint
CREATE INDEX "commitment_updates_commitment_idx" ON "commitment_updates" USING btree ("commitment_id","published_at");--> statement-breakpoint
CREATE INDEX "commitment_updates_published_idx" ON "commitment_updates" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "commitments_parent_idx" ON "commitments" USING btree ("parent_id","position");--> statement-breakpoint
CREATE INDEX "said_did_entries_happened_idx" ON "said_did_entries" USING btree ("happened_on");--> statement-breakpoint
CREATE INDEX "said_did_entries_source_idx" ON "said_did_entries" USING btree ("source","source_id");--> statement-breakpoint
CREATE INDEX "said_did_entries_commitment_idx" ON "said_did_entries" USING btree ("commitment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "standards_framework_key_idx" ON "standards" USING btree ("framework_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "newsletter_follows_email_target_idx" ON "newsletter_follows" USING btree ("email","target_type","target_id");--> statement-breakpoint
CREATE INDEX "newsletter_follows_target_idx" ON "newsletter_follows" USING btree ("target_type","target_id","status");