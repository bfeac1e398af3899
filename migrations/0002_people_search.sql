-- Staff search over the contributor register (/admin/people): indexes for the filters. The search
-- vector and the copied account fields are kept up to date by the triggers in *_people_search_sync.
CREATE INDEX contributor_profiles_search_idx ON contributor_profiles USING gin (search_vector);
--> statement-breakpoint
CREATE INDEX contributor_profiles_interests_idx ON contributor_profiles USING gin (interests);
--> statement-breakpoint
CREATE INDEX contributor_profiles_available_times_idx ON contributor_profiles USING gin (available_times);
--> statement-breakpoint
CREATE INDEX contributor_profiles_available_ways_idx ON contributor_profiles USING gin (available_ways);
--> statement-breakpoint
CREATE INDEX contributor_profiles_access_needs_idx ON contributor_profiles USING gin (access_needs);
--> statement-breakpoint
CREATE INDEX contributor_profiles_region_idx ON contributor_profiles USING btree (region);
--> statement-breakpoint
CREATE INDEX contributor_profiles_payment_idx ON contributor_profiles USING btree (payment_preference);
--> statement-breakpoint
CREATE INDEX contributor_profiles_source_idx ON contributor_profiles USING btree (source);

--> statement-breakpoint
-- Staff search over the contributor register (/admin/people) reads contributor_profiles alone:
-- a trigger fills search_vector and copies from the account the name (sort_name, lower case), the
-- join date (joined_at) and whether it is a contributor account (listed).
-- The search vector weighs names most (A), then where someone lives and the language they need an
-- interpreter for (B), then their own words about lived experience and access needs (D). The
-- 'simple' configuration keeps every word as written (no stemming, no stop words), so names and
-- the start of any word match.
CREATE OR REPLACE FUNCTION contributor_profiles_search_fields() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  account record;
BEGIN
  SELECT u.name, u.role, u.created_at INTO account FROM "user" u WHERE u.id = NEW.user_id;
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
CREATE TRIGGER contributor_profiles_search_fields_trigger
  BEFORE INSERT OR UPDATE OF user_id, preferred_name, region, interpreter_language, lived_experience_notes, access_needs_notes
  ON contributor_profiles
  FOR EACH ROW EXECUTE FUNCTION contributor_profiles_search_fields();
--> statement-breakpoint
-- A new name or role lives on "user": touch the profile so its trigger copies it again.
CREATE OR REPLACE FUNCTION contributor_profiles_follow_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE contributor_profiles SET preferred_name = preferred_name WHERE user_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER user_contributor_search_trigger
  AFTER UPDATE OF name, role, created_at ON "user"
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.role IS DISTINCT FROM NEW.role OR OLD.created_at IS DISTINCT FROM NEW.created_at)
  EXECUTE FUNCTION contributor_profiles_follow_account();
--> statement-breakpoint
UPDATE contributor_profiles SET preferred_name = preferred_name;
--> statement-breakpoint
-- Listing everyone by name, by join date or by last involvement walks one of these.
CREATE INDEX contributor_profiles_sort_name_idx ON contributor_profiles USING btree (listed, sort_name, user_id);
--> statement-breakpoint
CREATE INDEX contributor_profiles_joined_idx ON contributor_profiles USING btree (listed, joined_at DESC, user_id);
--> statement-breakpoint
CREATE INDEX contributor_profiles_last_involved_idx ON contributor_profiles USING btree (listed, last_involved_at DESC NULLS LAST, sort_name, user_id);
--> statement-breakpoint
-- The "access needs: yes / no" filter.
CREATE INDEX contributor_profiles_has_access_needs_idx ON contributor_profiles USING btree ((access_needs <> '[]'::jsonb OR coalesce(access_needs_notes, '') <> ''));
