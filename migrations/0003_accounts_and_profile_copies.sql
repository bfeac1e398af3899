CREATE TABLE "sign_in_link_requests" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"purpose" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- Joins waiting for their emailed link to be followed move to identity's table, keeping what the
-- person agreed to and when.
INSERT INTO "sign_in_link_requests" ("token_hash", "email", "purpose", "details", "expires_at")
  SELECT "token_hash", "email", 'join',
         jsonb_build_object('privacyNoticeVersion', "privacy_notice_version", 'consentedAt', to_char("consented_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
         "expires_at"
  FROM "contributor_join_requests";
--> statement-breakpoint
DROP TABLE "contributor_join_requests" CASCADE;--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "account_name" text;--> statement-breakpoint
ALTER TABLE "contributor_profiles" ADD COLUMN "account_email" text;--> statement-breakpoint
CREATE INDEX "sign_in_link_requests_email_idx" ON "sign_in_link_requests" USING btree ("email");
--> statement-breakpoint
-- The register's search and export read contributor_profiles alone: the trigger now also copies
-- the account's name as written and its email address (see 0002_people_search for the rest).
CREATE OR REPLACE FUNCTION contributor_profiles_search_fields() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  account record;
BEGIN
  SELECT u.name, u.email, u.role, u.created_at INTO account FROM "user" u WHERE u.id = NEW.user_id;
  NEW.account_name := account.name;
  NEW.account_email := account.email;
  NEW.sort_name := lower(coalesce(account.name, ''));
  NEW.joined_at := account.created_at;
  NEW.listed := coalesce(account.role = 'contributor', false);
  NEW.search_vector :=
    setweight(to_tsvector('simple', coalesce(account.name, '') || ' ' || coalesce(NEW.preferred_name, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(NEW.region, '') || ' ' || coalesce(NEW.interpreter_language, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(NEW.lived_experience_notes, '') || ' ' || coalesce(NEW.access_needs_notes, '')), 'D');
  RETURN NEW;
END
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS user_contributor_search_trigger ON "user";
--> statement-breakpoint
CREATE TRIGGER user_contributor_search_trigger
  AFTER UPDATE OF name, email, role, created_at ON "user"
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email OR OLD.role IS DISTINCT FROM NEW.role OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION contributor_profiles_follow_account();
--> statement-breakpoint
UPDATE contributor_profiles SET preferred_name = preferred_name;
