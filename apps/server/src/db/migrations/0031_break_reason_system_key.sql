ALTER TABLE "break_reasons" ADD COLUMN "system_key" text;--> statement-breakpoint
ALTER TABLE "break_reasons" ADD CONSTRAINT "break_reasons_systemKey_unique" UNIQUE("system_key");--> statement-breakpoint
ALTER TABLE "break_reasons" ADD CONSTRAINT "break_reasons_system_key" CHECK ("break_reasons"."system_key" in ('missed_calls'));--> statement-breakpoint
-- The break the system puts an agent on after missed inbound calls (inbound.repository
-- missedCallsBreakReason) is found by its key from now on, not by its name, which becomes a label
-- an administrator may change: the one named "Missed calls" (made on first need until now, as it
-- still is) gets the key.
UPDATE "break_reasons" SET "system_key" = 'missed_calls' WHERE "name" = 'Missed calls';
