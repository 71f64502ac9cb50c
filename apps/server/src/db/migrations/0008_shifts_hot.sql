-- The dialer writes every agent's shift row about three times a call (state, offer, call, lease).
-- With no index on a column those writes change, and room left on each page, PostgreSQL updates
-- the row in place (a HOT update): no new entry in any of the table's indexes, no index bloat on
-- the hottest rows. The lapsed-lease sweeps read the open shifts through shifts_one_open_per_agent.
-- campaign_donors_held_idx served no query, and cost an index entry on every queue write.
DROP INDEX "campaign_donors_held_idx";--> statement-breakpoint
DROP INDEX "shifts_open_lease_idx";--> statement-breakpoint
ALTER TABLE "shifts" SET (fillfactor = 50);
