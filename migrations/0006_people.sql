CREATE TABLE "newsletter_subscriber_deletions" (
	"day" date PRIMARY KEY NOT NULL,
	"count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contributor_contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"subject_user_id" text NOT NULL,
	"staff_user_id" text,
	"contacted_on" date NOT NULL,
	"method" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contributor_contacts" ADD CONSTRAINT "contributor_contacts_subject_user_id_user_id_fk" FOREIGN KEY ("subject_user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contributor_contacts" ADD CONSTRAINT "contributor_contacts_staff_user_id_user_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contributor_contacts_subject_idx" ON "contributor_contacts" USING btree ("subject_user_id","contacted_on");