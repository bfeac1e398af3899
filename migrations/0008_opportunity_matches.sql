CREATE TABLE "opportunity_contact_optouts" (
	"user_id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunity_email_choices" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"choice" text NOT NULL,
	"turned_on" boolean NOT NULL,
	"via" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "opportunity_contact_optouts" ADD CONSTRAINT "opportunity_contact_optouts_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_email_choices" ADD CONSTRAINT "opportunity_email_choices_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "opportunity_email_choices_user_idx" ON "opportunity_email_choices" USING btree ("user_id","at");