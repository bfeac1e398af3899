CREATE TABLE "story_images" (
	"id" serial PRIMARY KEY NOT NULL,
	"story_id" integer NOT NULL,
	"key" text NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"alt_text" text NOT NULL,
	"caption" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "story_images_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "story_images" ADD CONSTRAINT "story_images_story_id_stories_id_fk" FOREIGN KEY ("story_id") REFERENCES "public"."stories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "story_images_story_idx" ON "story_images" USING btree ("story_id");--> statement-breakpoint
CREATE INDEX "comments_search_idx" ON "comments" USING gin (to_tsvector('simple', "author_name" || ' ' || "body"));--> statement-breakpoint
CREATE INDEX "stories_title_search_idx" ON "stories" USING gin (to_tsvector('simple', "title"));