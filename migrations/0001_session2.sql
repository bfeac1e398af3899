CREATE TABLE "passkey" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"public_key" text NOT NULL,
	"user_id" text NOT NULL,
	"credential_id" text NOT NULL,
	"counter" integer NOT NULL,
	"device_type" text NOT NULL,
	"backed_up" boolean NOT NULL,
	"transports" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"aaguid" text
);
--> statement-breakpoint
CREATE TABLE "contributor_notes" (
	"id" serial PRIMARY KEY NOT NULL,
	"subject_user_id" text NOT NULL,
	"author_user_id" text,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contributor_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"filename" text NOT NULL,
	"status" text DEFAULT 'done' NOT NULL,
	"file_content" text,
	"total_rows" integer NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"done_chunks" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"imported_count" integer NOT NULL,
	"rejected_count" integer NOT NULL,
	"rejected" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"header" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mapping" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"staff_user_id" text
);
--> statement-breakpoint
CREATE TABLE "contributor_organisation_answers" (
	"user_id" text PRIMARY KEY NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contributor_organisations" (
	"user_id" text NOT NULL,
	"organisation_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contributor_organisations_user_id_organisation_id_pk" PRIMARY KEY("user_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"area" text NOT NULL,
	"website" text,
	"contact_name" text NOT NULL,
	"contact_role" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_phone" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decline_reason" text,
	"privacy_notice_version" text NOT NULL,
	"ip_address" text,
	"decided_by_user_id" text,
	"decided_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "contributor_user_id" text;--> statement-breakpoint
ALTER TABLE "newsletter_imports" ADD COLUMN "status" text DEFAULT 'done' NOT NULL;--> statement-breakpoint
ALTER TABLE "newsletter_imports" ADD COLUMN "file_content" text;--> statement-breakpoint
ALTER TABLE "newsletter_imports" ADD COLUMN "processed_rows" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "newsletter_imports" ADD COLUMN "done_chunks" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "newsletter_imports" ADD COLUMN "failure" text;--> statement-breakpoint
ALTER TABLE "newsletter_imports" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "newsletter_imports" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consent_events" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "source" text DEFAULT 'joined' NOT NULL;--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "last_involved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "sort_name" text;--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "joined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "listed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "passkey" ADD CONSTRAINT "passkey_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributor_notes" ADD CONSTRAINT "contributor_notes_subject_user_id_user_id_fk" FOREIGN KEY ("subject_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributor_notes" ADD CONSTRAINT "contributor_notes_author_user_id_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributor_imports" ADD CONSTRAINT "contributor_imports_staff_user_id_user_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributor_organisation_answers" ADD CONSTRAINT "contributor_organisation_answers_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributor_organisations" ADD CONSTRAINT "contributor_organisations_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributor_organisations" ADD CONSTRAINT "contributor_organisations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_decided_by_user_id_user_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "passkey_user_idx" ON "passkey" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "passkey_credential_idx" ON "passkey" USING btree ("credential_id");--> statement-breakpoint
CREATE INDEX "contributor_notes_subject_idx" ON "contributor_notes" USING btree ("subject_user_id","created_at");--> statement-breakpoint
CREATE INDEX "contributor_organisations_org_idx" ON "contributor_organisations" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_live_name_idx" ON "organisations" USING btree (lower("name")) WHERE "organisations"."status" in ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "organisations_status_idx" ON "organisations" USING btree ("status");--> statement-breakpoint
CREATE INDEX "organisations_ip_created_idx" ON "organisations" USING btree ("ip_address","created_at");--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_contributor_user_id_user_id_fk" FOREIGN KEY ("contributor_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_contributor_idx" ON "comments" USING btree ("contributor_user_id");