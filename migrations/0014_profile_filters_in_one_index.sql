-- The register's search filters (0002_people_search) in one multicolumn GIN index instead of nine
-- indexes: five GIN (the search vector and the four lists) and four B-trees on columns with a
-- handful of values each (region, payment preference, source, and whether access needs were given).
-- A GIN index serves a condition on any of its columns, or several at once, equally well; btree_gin
-- gives GIN the equality of plain text columns. Every profile written updated all nine: one GIN
-- index costs an imported register of 50,000 people about a third less of the database's work, and
-- the searches measure the same or faster (scripts/bench/README.md, "Changes"; ADR 12, "Later").
-- The access-needs B-tree is not replaced: no search used it (the planner always preferred another
-- condition's index and checked this one on the rows).
-- btree_gin is a "trusted" contrib extension (PostgreSQL 13 and later): a database's owner may add
-- it; PGlite loads it with the database (src/db/pglite.ts).
CREATE EXTENSION IF NOT EXISTS btree_gin;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_search_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_interests_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_available_times_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_available_ways_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_access_needs_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_region_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_payment_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_source_idx;
--> statement-breakpoint
DROP INDEX IF EXISTS contributor_profiles_has_access_needs_idx;
--> statement-breakpoint
CREATE INDEX contributor_profiles_filters_idx ON contributor_profiles USING gin (
  search_vector, interests, available_times, available_ways, access_needs, region, payment_preference, source
);
