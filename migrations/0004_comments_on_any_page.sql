-- Comments can be on any kind of page a feature registers (stories first, commitments later): the
-- page is named by kind and id instead of a story foreign key. Every existing comment keeps its
-- story, thread and moderation state.
ALTER TABLE "comments" ADD COLUMN "target_type" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "target_id" integer;--> statement-breakpoint
UPDATE "comments" SET "target_type" = 'story', "target_id" = "story_id";--> statement-breakpoint
ALTER TABLE "comments" ALTER COLUMN "target_type" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "comments" ALTER COLUMN "target_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "comments" DROP CONSTRAINT "comments_story_id_stories_id_fk";
--> statement-breakpoint
DROP INDEX "comments_story_status_idx";--> statement-breakpoint
CREATE INDEX "comments_target_status_idx" ON "comments" USING btree ("target_type","target_id","status","created_at");--> statement-breakpoint
ALTER TABLE "comments" DROP COLUMN "story_id";
