-- Donor search results in the order people expect of names, whatever the database's locale: an
-- ICU collation (root locale, so one order for every language) that ignores punctuation and
-- spaces at first ("'t Hart" files under T, not before "Adams"; "van Dijk" under V), and puts
-- accented and lower-case letters beside their plain capitals ("Ångström" by "Angstrom").
CREATE COLLATION IF NOT EXISTS donor_name (provider = icu, locale = 'und-u-ka-shifted');--> statement-breakpoint
-- The search's ORDER BY (donors.repository.ts, NAME_ORDER), so a page of every donor in order is
-- an index scan however many donors there are.
CREATE INDEX IF NOT EXISTS donors_name_order_idx ON donors
  (last_name COLLATE donor_name, first_name COLLATE donor_name, id);
