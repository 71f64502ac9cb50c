-- Accent-insensitive, substring donor search. unaccent and pg_trgm are trusted extensions
-- (PostgreSQL 13+): a database owner can create them without superuser rights.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- unaccent() is only STABLE; an IMMUTABLE wrapper with a fixed dictionary can be indexed.
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS donors_name_search_idx ON donors
  USING gin (f_unaccent(lower(first_name || ' ' || last_name)) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS donors_reference_lower_idx ON donors (lower(reference));
