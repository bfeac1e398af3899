-- A profile's search fields (0002_people_search, 0003_accounts_and_profile_copies) written once, as a
-- function that both the trigger and a bulk insert of many profiles use, so both compute the same.
-- The planner inlines it (a single SELECT in SQL), so a bulk insert joins "user" once for all its
-- rows instead of running the trigger, and its query, row by row: an imported register of 50,000
-- people is written about a third faster on PGlite.
CREATE OR REPLACE FUNCTION contributor_profile_search_fields(
  p_user_id text, p_preferred_name text, p_region text, p_interpreter_language text, p_lived_experience_notes text, p_access_needs_notes text
) RETURNS TABLE (account_name text, account_email text, sort_name text, joined_at timestamptz, listed boolean, search_vector tsvector)
LANGUAGE sql STABLE AS $$
  SELECT u.name, u.email, lower(coalesce(u.name, '')), u.created_at, coalesce(u.role = 'contributor', false),
    setweight(to_tsvector('simple', coalesce(u.name, '') || ' ' || coalesce(p_preferred_name, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(p_region, '') || ' ' || coalesce(p_interpreter_language, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(p_lived_experience_notes, '') || ' ' || coalesce(p_access_needs_notes, '')), 'D')
  FROM (SELECT 1) AS one LEFT JOIN "user" u ON u.id = p_user_id
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION contributor_profiles_search_fields() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  f record;
BEGIN
  SELECT * INTO f FROM contributor_profile_search_fields(NEW.user_id, NEW.preferred_name, NEW.region, NEW.interpreter_language, NEW.lived_experience_notes, NEW.access_needs_notes);
  NEW.account_name := f.account_name;
  NEW.account_email := f.account_email;
  NEW.sort_name := f.sort_name;
  NEW.joined_at := f.joined_at;
  NEW.listed := f.listed;
  NEW.search_vector := f.search_vector;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Updates always go through the trigger. An insert goes through it unless it brings its own search
-- fields, which only the profile feature's bulk insert does, with the function above
-- (ProfileService.importProfiles); every other insert leaves search_vector empty.
DROP TRIGGER IF EXISTS contributor_profiles_search_fields_trigger ON contributor_profiles;
--> statement-breakpoint
CREATE TRIGGER contributor_profiles_search_fields_trigger
  BEFORE UPDATE OF user_id, preferred_name, region, interpreter_language, lived_experience_notes, access_needs_notes
  ON contributor_profiles
  FOR EACH ROW EXECUTE FUNCTION contributor_profiles_search_fields();
--> statement-breakpoint
CREATE TRIGGER contributor_profiles_search_fields_insert_trigger
  BEFORE INSERT ON contributor_profiles
  FOR EACH ROW WHEN (NEW.search_vector IS NULL) EXECUTE FUNCTION contributor_profiles_search_fields();
